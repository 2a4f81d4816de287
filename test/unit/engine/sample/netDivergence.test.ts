import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initParams, type MlpSpec } from '../../../../src-main/engine/nets/mlp.js';
import { netDivergence, netJacobian } from '../../../../src-main/engine/sample/netDivergence.js';
import { NetSampler } from '../../../../src-main/engine/sample/netSampler.js';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { FIXED_METHODS } from '../../../../src-main/engine/sample/rungeKutta.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { referenceVelocity } from '../../../helpers/referenceMlp.js';

const net: MlpSpec = { kind: 'mlp', dim: 3, width: 24, depth: 2, activation: 'tanh', timeFrequencies: 2 };
const params = initParams(net, 5);
const n = 7;
const rng = new Rng(3);
const x = Float32Array.from({ length: n * net.dim }, () => rng.normal());

/** Jacobians dv_k/dx_j per point, [n][d*d] row-major, by central differences of the float64 reference. */
function fdJacobians(t: number): Float64Array[] {
  const h = 1e-4;
  const d = net.dim;
  const out = Array.from({ length: n }, () => new Float64Array(d * d));
  const ts = new Float64Array(n).fill(t);
  for (let j = 0; j < d; j++) {
    const p = Float64Array.from(x);
    const m = Float64Array.from(x);
    for (let i = 0; i < n; i++) {
      p[i * d + j] += h;
      m[i * d + j] -= h;
    }
    const vp = referenceVelocity(net, params, p, ts, n);
    const vm = referenceVelocity(net, params, m, ts, n);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out[i][k * d + j] = (vp[i * d + k] - vm[i * d + k]) / (2 * h);
  }
  return out;
}

/** div v by central differences of the float64 reference forward pass. */
function fdDivergence(t: number): Float64Array {
  const h = 1e-4;
  const out = new Float64Array(n);
  const ts = new Float64Array(n).fill(t);
  for (let j = 0; j < net.dim; j++) {
    const p = Float64Array.from(x);
    const m = Float64Array.from(x);
    for (let i = 0; i < n; i++) {
      p[i * net.dim + j] += h;
      m[i * net.dim + j] -= h;
    }
    const vp = referenceVelocity(net, params, p, ts, n);
    const vm = referenceVelocity(net, params, m, ts, n);
    for (let i = 0; i < n; i++) out[i] += (vp[i * net.dim + j] - vm[i * net.dim + j]) / (2 * h);
  }
  return out;
}

test('the exact divergence of the net equals the trace of its finite-difference Jacobian', async () => {
  const div = await netDivergence(net, params, { probes: 0, backend: 'cpu', threads: 1 });
  for (const t of [0.1, 0.7]) {
    const r = await div.fn(t, x, n, net.dim);
    const fd = fdDivergence(t);
    const v = referenceVelocity(net, params, x, new Float64Array(n).fill(t), n);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(r.div[i] - fd[i]) < 1e-4, `point ${i}: ${r.div[i]} vs ${fd[i]}`);
    for (let i = 0; i < n * net.dim; i++) assert.ok(Math.abs(r.v[i] - v[i]) < 1e-5);
  }
  await div.release();
});

test("the net's Jacobian program equals its finite-difference Jacobian, entry by entry", async () => {
  const jac = await netJacobian(net, params, { backend: 'cpu', threads: 1 });
  const d = net.dim;
  for (const t of [0.2, 0.9]) {
    const r = await jac.fn(t, x, n, d);
    const fd = fdJacobians(t);
    const v = referenceVelocity(net, params, x, new Float64Array(n).fill(t), n);
    for (let i = 0; i < n; i++) {
      for (let e = 0; e < d * d; e++) assert.ok(Math.abs(r.jac[i * d * d + e] - fd[i][e]) < 1e-4, `point ${i}, entry ${e}: ${r.jac[i * d * d + e]} vs ${fd[i][e]}`);
    }
    for (let i = 0; i < n * d; i++) assert.ok(Math.abs(r.v[i] - v[i]) < 1e-5);
  }
  await jac.release();
});

test('the Hutchinson estimate (2000 Rademacher probes) lies within 3 standard errors of the exact divergence', async () => {
  const K = 2000;
  const exact = await netDivergence(net, params, { probes: 0, backend: 'cpu', threads: 1 });
  const hutch = await netDivergence(net, params, { probes: K, backend: 'cpu', threads: 1, seed: 9 });
  const e = await exact.fn(0.4, x, n, net.dim);
  const h = await hutch.fn(0.4, x, n, net.dim);
  // With Rademacher e, e^T A e = tr A + sum_{i<j} (A_ij + A_ji) e_i e_j: variance sum_{i<j} (A_ij + A_ji)^2.
  const J = fdJacobians(0.4);
  const d = net.dim;
  for (let p = 0; p < n; p++) {
    let variance = 0;
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) variance += (J[p][i * d + j] + J[p][j * d + i]) ** 2;
    const se = Math.sqrt(variance / K);
    assert.ok(Math.abs(h.div[p] - e.div[p]) < 3 * se + 1e-5, `point ${p}: ${h.div[p]} vs ${e.div[p]} (se ${se})`);
  }
  assert.notDeepEqual(Array.from(h.div), Array.from(e.div), 'the estimate is not the exact value');
  await exact.release();
  await hutch.release();
});

for (const method of FIXED_METHODS) {
  test(`the fused ${method} program equals the host-side ${method} driving the velocity program`, async () => {
    const sampler = new NetSampler(net, params, 'cpu', 1);
    const fused = await sampler.solve(x, n, { solver: method, steps: 12, t0: 0, t1: 1, snapshots: true });
    const host = await integrateFixed(sampler.velocity(), x, n, net.dim, { t0: 0, t1: 1, steps: 12, method });
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(fused.x[i] - host.x[i]) < 1e-5, `${fused.x[i]} vs ${host.x[i]}`);
    assert.equal(fused.nfe, host.nfe);
    assert.deepEqual(fused.trajectory!.at(-1), fused.x);
    const back = await sampler.solve(fused.x, n, { solver: method, steps: 12, t0: 1, t1: 0 });
    const hostBack = await integrateFixed(sampler.velocity(), fused.x, n, net.dim, { t0: 1, t1: 0, steps: 12, method });
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(back.x[i] - hostBack.x[i]) < 1e-5);
    await sampler.release();
  });
}
