import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stochastic, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { buildFusedSolverGraph } from '../../../../src-main/engine/sample/fusedProgram.js';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { integrateSde, type SdeMethod } from '../../../../src-main/engine/sample/sde.js';
import { buildSdeGraph, sdeKeys } from '../../../../src-main/engine/sample/sdeProgram.js';
import { empiricalMoments, gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';
import { gaussianGraphField } from './gaussianGraphField.js';
import { schemeMoments } from './sdeMoments.js';

const D = 2;
const { m: M, S, field } = gaussianProblem(D, 3, trig);

test('weak orders from the exact moments of the schemes: em 1, sde-heun 2, and both reach N(m, S) (trig and the latent-noise interpolant)', async (t) => {
  const counts = [50, 100, 200];
  const cases: [SdeMethod, [number, number], number][] = [['em', [0.9, 1.15], 2e-2], ['sde-heun', [1.7, 2.3], 2e-4]];
  for (const it of [trig, stochastic]) {
    const { m, S: cov, field: f } = gaussianProblem(D, 3, it);
    for (const [method, band, finest] of cases) {
      for (const eps of [0.5, 1]) {
        const errors: number[] = [];
        for (const steps of counts) {
          const r = await schemeMoments(f, it, method, eps, D, steps);
          errors.push(Math.max(maxAbsDiff(r.mean, m), maxAbsDiff(r.cov, cov)));
        }
        const slopes = errors.slice(1).map((e, i) => Math.log2(errors[i] / e));
        t.diagnostic(`${it.name} ${method} eps=${eps}: errors ${errors.map((e) => e.toExponential(2)).join(', ')}, orders ${slopes.map((s) => s.toFixed(2)).join(', ')}`);
        for (const s of slopes) assert.ok(s >= band[0] && s <= band[1], `${it.name} ${method} eps=${eps}: order ${s}`);
        assert.ok(errors[errors.length - 1] < finest, `${it.name} ${method} eps=${eps}: error ${errors[errors.length - 1]}`);
      }
    }
  }
});

test('eps = 0 is the ODE bit for bit on the host: em is Euler, sde-heun is Heun', async () => {
  const n = 32;
  const x0 = normalPoints(n, D, 4);
  for (const [sde, ode] of [['em', 'euler'], ['sde-heun', 'heun']] as const) {
    const a = await integrateSde(field, trig, x0, n, D, { method: sde, eps: 0, steps: 20, seed: 9 });
    const b = await integrateFixed(field, x0, n, D, { t0: 0, t1: 1, steps: 20, method: ode });
    assert.deepEqual(a.x, b.x, sde);
    assert.equal(a.nfe, b.nfe);
  }
});

async function fusedSde(method: SdeMethod, n: number, eps: number, steps: number, seed: number, x0: Float64Array) {
  const session = await createSession(serializeModel(buildSdeGraph({ method, interpolant: trig, n, dim: D, snapshots: false }, () => gaussianGraphField(M, S, trig))), { backend: 'cpu', threads: 1 });
  const out = await session.run({
    x: new ort.Tensor('float32', Float32Array.from(x0), [n, D]),
    t0: new ort.Tensor('float32', Float32Array.of(0), []),
    h: new ort.Tensor('float32', Float32Array.of(1 / steps), []),
    eps: new ort.Tensor('float32', Float32Array.of(eps), []),
    steps: new ort.Tensor('int64', BigInt64Array.of(BigInt(steps)), []),
    keys: new ort.Tensor('uint32', sdeKeys(seed, 0, steps), [steps]),
  });
  await session.release();
  return out.x_out.data as Float32Array;
}

test('in the fused program, eps = 0 gives the fused Euler and Heun programs\' bits', async () => {
  const n = 64;
  const x0 = normalPoints(n, D, 5);
  for (const [sde, ode] of [['em', 'euler'], ['sde-heun', 'heun']] as const) {
    const session = await createSession(serializeModel(buildFusedSolverGraph({ method: ode, n, dim: D, snapshots: false }, () => gaussianGraphField(M, S, trig))), { backend: 'cpu', threads: 1 });
    const ref = await session.run({
      x: new ort.Tensor('float32', Float32Array.from(x0), [n, D]),
      t0: new ort.Tensor('float32', Float32Array.of(0), []),
      h: new ort.Tensor('float32', Float32Array.of(1 / 20), []),
      steps: new ort.Tensor('int64', BigInt64Array.of(20n), []),
    });
    await session.release();
    assert.deepEqual(await fusedSde(sde, n, 0, 20, 1, x0), ref.x_out.data, sde);
  }
});

test('a seed reproduces a sample set, another seed gives another, and the host integrator draws the same noise', async () => {
  const n = 64;
  const x0 = normalPoints(n, D, 6);
  for (const method of ['em', 'sde-heun'] as const) {
    const a = await fusedSde(method, n, 0.7, 30, 11, x0);
    assert.deepEqual(await fusedSde(method, n, 0.7, 30, 11, x0), a);
    assert.ok(maxAbsDiff(await fusedSde(method, n, 0.7, 30, 12, x0), a) > 0.1);
    const host = await integrateSde(field, trig, x0, n, D, { method, eps: 0.7, steps: 30, seed: 11 });
    assert.ok(maxAbsDiff(host.x, a) < 1e-4, `${method}: fused vs host ${maxAbsDiff(host.x, a)}`);
  }
});

test('acceptance: 100k fused SDE samples from the exact Gaussian velocity match N(m, S) for eps 0.1, 0.5, 1 (mean 0.02, covariance 0.05)', async (t) => {
  const n = 100_000;
  const x0 = normalPoints(n, D, 7);
  const runs: [SdeMethod, number, number][] = [['sde-heun', 0.1, 50], ['sde-heun', 0.5, 50], ['sde-heun', 1, 50], ['em', 1, 200]];
  for (const [method, eps, steps] of runs) {
    const { mean, cov } = empiricalMoments(await fusedSde(method, n, eps, steps, 21, x0), n, D);
    const em = maxAbsDiff(mean, M);
    const ec = maxAbsDiff(cov, S);
    t.diagnostic(`${method} eps=${eps} ${steps} steps: |mean - m| ${em.toFixed(4)}, |cov - S| ${ec.toFixed(4)}`);
    assert.ok(em < 0.02 && ec < 0.05, `${method} eps=${eps}: mean ${em}, cov ${ec}`);
  }
});
