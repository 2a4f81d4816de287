import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphAlgebra, numbers } from '../../../../src-main/engine/interpolants/algebra.js';
import { pathPoint } from '../../../../src-main/engine/interpolants/path.js';
import { INTERPOLANT_FAMILIES, coefficientsAt } from '../../../../src-main/engine/interpolants/schedules.js';
import { Graph } from '../../../../src-main/engine/onnx/graph.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';

const families = Object.values(INTERPOLANT_FAMILIES);
const [x0, x1, z] = [0.7, -1.3, 0.4];

test('the path starts at x0 and ends at x1, whatever z', () => {
  for (const f of families) {
    assert.ok(Math.abs(pathPoint(numbers, coefficientsAt(f, 0), x0, x1, z).xt - x0) < 1e-12, f.name);
    assert.ok(Math.abs(pathPoint(numbers, coefficientsAt(f, 1), x0, x1, z).xt - x1) < 1e-12, f.name);
  }
});

test('dx_t/dt is the time derivative of x_t (central differences), latent term included', () => {
  const h = 1e-6;
  for (const f of families) {
    for (const t of [0.1, 0.3, 0.45, 0.62, 0.9]) {
      const at = (s: number) => pathPoint(numbers, coefficientsAt(f, s), x0, x1, z).xt;
      const { dxt } = pathPoint(numbers, coefficientsAt(f, t), x0, x1, z);
      const fd = (at(t + h) - at(t - h)) / (2 * h);
      assert.ok(Math.abs(dxt - fd) < 1e-6 * Math.max(1, Math.abs(fd)), `${f.name} t=${t}: ${dxt} vs ${fd}`);
    }
  }
});

test('the latent term enters exactly when the interpolant has one', () => {
  for (const f of families) {
    const c = coefficientsAt(f, 0.3);
    const moved = pathPoint(numbers, c, x0, x1, z).xt !== pathPoint(numbers, c, x0, x1, 0).xt;
    assert.equal(moved, f.latentNoise, f.name);
  }
});

test('the graph form of the path computes the same x_t and dx_t/dt as the number form, broadcasting [B, 1] over [B, d]', async () => {
  const B = 5;
  const d = 2;
  const ts = Float32Array.from([0.05, 0.3, 0.5, 0.71, 0.95]);
  const rows = (k: number) => Float32Array.from({ length: B * d }, (_, i) => Math.sin(i + k));
  const [a0, a1, az] = [rows(1), rows(2), rows(3)];
  for (const f of families) {
    const g = new Graph('path');
    const t = g.input('t', 'float32', [B, 1]);
    const [v0, v1, vz] = ['x0', 'x1', 'z'].map((name) => g.input(name, 'float32', [B, d]));
    const A = graphAlgebra(t);
    const p = pathPoint(A, f.at(A, t), v0, v1, vz);
    const session = await createSession(serializeModel(g.setNamedOutputs({ xt: p.xt, dxt: p.dxt })), { backend: 'cpu', threads: 1 });
    const tensor = (x: Float32Array, shape: number[]) => new ort.Tensor('float32', x, shape);
    const out = await session.run({ t: tensor(ts, [B, 1]), x0: tensor(a0, [B, d]), x1: tensor(a1, [B, d]), z: tensor(az, [B, d]) });
    for (let i = 0; i < B * d; i++) {
      const ref = pathPoint(numbers, coefficientsAt(f, ts[Math.floor(i / d)]), a0[i], a1[i], az[i]);
      assert.ok(Math.abs((out.xt.data as Float32Array)[i] - ref.xt) < 1e-5, `${f.name} xt[${i}] ${(out.xt.data as Float32Array)[i]} vs ${ref.xt}`);
      assert.ok(Math.abs((out.dxt.data as Float32Array)[i] - ref.dxt) < 1e-4, `${f.name} dxt[${i}]`);
    }
    await session.release();
  }
});
