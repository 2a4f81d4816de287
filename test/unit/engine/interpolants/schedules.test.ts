import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { INTERPOLANT_FAMILIES, coefficientsAt, encdec } from '../../../../src-main/engine/interpolants/schedules.js';
import { integrateDopri5 } from '../../../../src-main/engine/sample/dopri5.js';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { empiricalMoments, gaussianProblem, maxAbsDiff, normalPoints, whiten } from '../sample/gaussianFixture.js';
import { graphAlgebra } from '../../../../src-main/engine/interpolants/algebra.js';
import { Graph } from '../../../../src-main/engine/onnx/graph.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';

const families = Object.values(INTERPOLANT_FAMILIES);

test('every interpolant starts at x0 and ends at x1: a(0) = b(1) = 1, a(1) = b(0) = 0, gamma(0) = gamma(1) = 0', () => {
  for (const f of families) {
    const c0 = coefficientsAt(f, 0);
    const c1 = coefficientsAt(f, 1);
    assert.ok(Math.abs(c0.a - 1) < 1e-12 && Math.abs(c0.b) < 1e-12, `${f.name} at t=0: a=${c0.a} b=${c0.b}`);
    assert.ok(Math.abs(c1.a) < 1e-12 && Math.abs(c1.b - 1) < 1e-12, `${f.name} at t=1: a=${c1.a} b=${c1.b}`);
    if (c0.gamma !== undefined) assert.ok(Math.abs(c0.gamma) < 1e-12 && Math.abs(c1.gamma!) < 1e-12);
  }
});

test("derivatives a', b', gamma' match central differences of a, b, gamma", () => {
  const h = 1e-6;
  for (const f of families) {
    for (let t = 0.03; t < f.tMax - 0.02; t += 0.0613) {
      if (f.name === 'encdec' && Math.abs(t - 0.5) < 2e-3) continue;
      const c = coefficientsAt(f, t);
      const p = coefficientsAt(f, t + h);
      const m = coefficientsAt(f, t - h);
      const check = (name: string, d: number, fd: number) =>
        assert.ok(Math.abs(d - fd) < 1e-5 * Math.max(1, Math.abs(fd)), `${f.name} ${name}'(${t.toFixed(3)}) = ${d}, finite difference ${fd}`);
      check('a', c.da, (p.a - m.a) / (2 * h));
      check('b', c.db, (p.b - m.b) / (2 * h));
      if (c.gamma !== undefined) check('gamma', c.dgamma!, (p.gamma! - m.gamma!) / (2 * h));
    }
  }
});

test('the trigonometric and VP interpolants preserve variance: a^2 + b^2 = 1', () => {
  for (const name of ['trig', 'vp'] as const) {
    for (let t = 0; t <= 1; t += 0.05) {
      const c = coefficientsAt(INTERPOLANT_FAMILIES[name], t);
      assert.ok(Math.abs(c.a * c.a + c.b * c.b - 1) < 1e-12, `${name} at ${t}`);
    }
  }
});

test('the graph form of each interpolant computes the same coefficients as the number form', async () => {
  const ts = Float32Array.from({ length: 41 }, (_, i) => Math.min(0.999, i / 40 + 0.0001));
  for (const f of families) {
    const g = new Graph('coef');
    const t = g.input('t', 'float32', [ts.length]);
    const c = f.at(graphAlgebra(t), t);
    g.setNamedOutputs({ a: c.a, b: c.b, da: c.da, db: c.db });
    const s = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
    const out = await s.run({ t: new ort.Tensor('float32', ts, [ts.length]) });
    for (const key of ['a', 'b', 'da', 'db'] as const) {
      const got = out[key].data as Float32Array;
      ts.forEach((tv, i) => {
        const want = coefficientsAt(f, tv)[key];
        const value = got.length === 1 ? got[0] : got[i];
        assert.ok(Math.abs(value - want) < 2e-5 * Math.max(1, Math.abs(want)), `${f.name}.${key}(${tv}) graph ${value} vs ${want}`);
      });
    }
    await s.release();
  }
});

describe('the encoder-decoder interpolant keeps a latent term through its bottleneck', () => {
  test('x_{1/2} = z: a = b = 0 and gamma = 1 at t = 1/2', () => {
    const c = coefficientsAt(encdec, 0.5);
    assert.ok(Math.abs(c.a) < 1e-15 && Math.abs(c.b) < 1e-15 && Math.abs(c.gamma! - 1) < 1e-15);
    assert.ok(encdec.latentNoise);
  });

  test('the exact Gaussian flow through it is finite and maps N(0, I) onto N(m, S) (rk4 and dopri5)', async () => {
    const d = 3;
    const n = 200;
    const { m, S, field } = gaussianProblem(d, 4, encdec);
    const x0 = whiten(normalPoints(n, d, 6), n, d);
    const exact = field.flowMap(x0, n, 0, 1);
    const rk = await integrateFixed(field, x0, n, d, { t0: 0, t1: 1, steps: 100, method: 'rk4' });
    const dp = await integrateDopri5(field, x0, n, d, { t0: 0, t1: 1, rtol: 1e-7, atol: 1e-7 });
    for (const x of [rk.x, dp.x]) {
      assert.ok(x.every(Number.isFinite));
      assert.ok(maxAbsDiff(x, exact) < 1e-4, `${maxAbsDiff(x, exact)}`);
      // x0 has empirical mean 0 and covariance I exactly, so the image has mean m and covariance S
      const { mean, cov } = empiricalMoments(x, n, d);
      assert.ok(maxAbsDiff(mean, m) < 1e-4 && maxAbsDiff(cov, S) < 1e-4);
    }
  });
});
