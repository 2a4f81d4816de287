import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphAlgebra } from '../../../../src-main/engine/interpolants/algebra.js';
import { trig } from '../../../../src-main/engine/interpolants/schedules.js';
import type { Value } from '../../../../src-main/engine/onnx/graph.js';
import * as op from '../../../../src-main/engine/onnx/ops/index.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { buildFusedSolverGraph } from '../../../../src-main/engine/sample/fusedProgram.js';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { RK_METHODS, type FixedMethod } from '../../../../src-main/engine/sample/rungeKutta.js';
import { gaussianClosedForm } from '../../../../src-main/engine/sample/gaussianClosedForm.js';
import { maxAbsDiff, normalPoints } from './gaussianFixture.js';

// Target N(m, diag(s)) from N(0, I) under the trigonometric interpolant: per coordinate
//   v_i(t, x) = b' m_i + (a a' + b b' s_i) / (a^2 + b^2 s_i) (x_i - b m_i),   X_1 = m + sqrt(s) X_0.
const M = [1.5, -0.5, 0.8];
const S = [0.5, 2, 1];
const D = M.length;
const N = 16;

/** The exact Gaussian velocity above as graph code, over the interpolant's graph algebra. */
function gaussianGraphField(t: Value, x: Value): Value {
  const g = x.graph;
  const c = trig.at(graphAlgebra(t), t);
  const m = g.constant(Float32Array.from(M), 'float32', [1, D]);
  const s = g.constant(Float32Array.from(S), 'float32', [1, D]);
  const centred = op.sub(x, op.mul(m, c.b));
  const gain = op.div(op.add(op.mul(c.a, c.da), op.mul(s, op.mul(c.b, c.db))), op.add(op.mul(c.a, c.a), op.mul(s, op.mul(c.b, c.b))));
  return op.add(op.mul(m, c.db), op.mul(gain, centred));
}

async function fusedSolve(method: FixedMethod, x0: Float64Array, steps: number, t0 = 0, t1 = 1): Promise<Float32Array> {
  const graph = buildFusedSolverGraph({ method, n: N, dim: D, snapshots: false }, () => gaussianGraphField);
  const session = await createSession(serializeModel(graph), { backend: 'cpu', threads: 1 });
  const out = await session.run({
    x: new ort.Tensor('float32', Float32Array.from(x0), [N, D]),
    t0: new ort.Tensor('float32', Float32Array.of(t0), []),
    h: new ort.Tensor('float32', Float32Array.of((t1 - t0) / steps), []),
    steps: new ort.Tensor('int64', BigInt64Array.of(BigInt(steps)), []),
  });
  await session.release();
  return out.x_out.data as Float32Array;
}

/** Step counts where each method's float32 error is well above rounding, and its order band. */
const ORDER_CASES: Partial<Record<FixedMethod, { counts: number[]; band: [number, number] }>> = {
  euler: { counts: [16, 32, 64], band: [0.85, 1.2] },
  heun: { counts: [8, 16, 32], band: [1.7, 2.3] },
  midpoint: { counts: [8, 16, 32], band: [1.7, 2.3] },
  rk4: { counts: [4, 8, 16], band: [3.5, 4.6] },
};

const x0 = normalPoints(N, D, 11);
const exact = Float64Array.from(x0, (v, i) => M[i % D] + Math.sqrt(S[i % D]) * v);

for (const [method, { counts, band }] of Object.entries(ORDER_CASES) as [FixedMethod, { counts: number[]; band: [number, number] }][]) {
  test(`the fused ${method} program's error shrinks ${2 ** RK_METHODS[method].order}x when the step halves (exact Gaussian field)`, async (t) => {
    const errors: number[] = [];
    for (const steps of counts) errors.push(maxAbsDiff(await fusedSolve(method, x0, steps), exact));
    t.diagnostic(`measured orders (errors ${errors.map((e) => e.toExponential(1)).join(', ')}) ${errors.slice(1).map((e, i) => Math.log2(errors[i] / e).toFixed(2)).join(', ')}`);
    for (let i = 1; i < errors.length; i++) {
      const slope = Math.log2(errors[i - 1] / errors[i]);
      assert.ok(slope >= band[0] && slope <= band[1], `${method} ${counts[i - 1]} -> ${counts[i]} steps: measured order ${slope.toFixed(3)} (errors ${errors.join(', ')})`);
    }
  });
}

test('the fused program and the host solver take the same steps from the same tableau', async () => {
  const host = gaussianClosedForm(Float64Array.from(M), Float64Array.from(S.flatMap((v, i) => S.map((_, j) => (i === j ? v : 0)))), trig);
  for (const method of Object.keys(RK_METHODS) as FixedMethod[]) {
    const fused = await fusedSolve(method, x0, 5, 1, 0.1);
    const ref = await integrateFixed(host, x0, N, D, { t0: 1, t1: 0.1, steps: 5, method });
    assert.ok(maxAbsDiff(fused, ref.x) < 2e-5, `${method}: ${maxAbsDiff(fused, ref.x)}`);
  }
});
