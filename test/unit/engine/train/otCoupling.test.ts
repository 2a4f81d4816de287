import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../src-main/api/config.js';
import { coefficientsAt, getInterpolant, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import type { MlpSpec } from '../../../../src-main/engine/nets/mlp.js';
import { Graph } from '../../../../src-main/engine/onnx/graph.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { Rng } from '../../../../src-main/engine/random.js';
import * as op from '../../../../src-main/engine/onnx/ops/index.js';
import { OT_REGULARISATION, OT_ROUNDS, otBlockRows, otPartners, scaledCost, sinkhornPotential } from '../../../../src-main/engine/train/otCoupling.js';
import { initialState, TrainSession } from '../../../../src-main/engine/train/trainSession.js';
import { randomGaussian } from '../sample/gaussianFixture.js';
import { exactAssignment, squaredDistances } from './exactAssignment.js';

const B = 256;
const D = 2;

/** B base points N(0, I) and B target points N(m, S) (the exact-Gaussian case), as float32. */
function batch(seed: number) {
  const { m, S } = randomGaussian(D, 2);
  const r = new Rng(seed, 7);
  const x0 = Float32Array.from({ length: B * D }, () => r.normal());
  const L = [Math.sqrt(S[0]), S[2] / Math.sqrt(S[0]), Math.sqrt(S[3] - (S[2] * S[2]) / S[0])];
  const x1 = new Float32Array(B * D);
  for (let p = 0; p < B; p++) {
    const [u, v] = [r.normal(), r.normal()];
    x1[p * 2] = 3 * m[0] + L[0] * u;
    x1[p * 2 + 1] = 3 * m[1] + L[1] * u + L[2] * v;
  }
  return { x0, x1, u: Float32Array.from({ length: B * otBlockRows(B) }, () => r.uniform()) };
}

const meanSq = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / (a.length / D);
};

/** Kinetic energy of the trig path's regression target over pairs: mean over t of E|a' x0 + b' x1|^2. */
function trigKinetic(x0: ArrayLike<number>, x1: ArrayLike<number>): number {
  let total = 0;
  const T = 64;
  for (let k = 0; k < T; k++) {
    const { da, db } = coefficientsAt(trig, (k + 0.5) / T);
    let s = 0;
    for (let i = 0; i < x0.length; i++) s += (da * x0[i] + db * x1[i]) ** 2;
    total += s / (x0.length / D) / T;
  }
  return total;
}

test('OT-coupled pairs are closer than independent ones, near the exact assignment, and the trig path\'s kinetic energy drops', async (t) => {
  const g = new Graph('ot');
  const x0 = g.input('x0', 'float32', [B, D]);
  const x1 = g.input('x1', 'float32', [B, D]);
  const u = g.input('u', 'float32', [B * otBlockRows(B)]);
  g.setNamedOutputs({ y: otPartners(x0, x1, u) });
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
  for (const seed of [1, 2]) {
    const b = batch(seed);
    const out = await session.run({ x0: new ort.Tensor('float32', b.x0, [B, D]), x1: new ort.Tensor('float32', b.x1, [B, D]), u: new ort.Tensor('float32', b.u, [b.u.length]) });
    const paired = out.y.data as Float32Array;
    const partner = exactAssignment(squaredDistances(b.x0, b.x1, B, D), B);
    const exact = Float32Array.from({ length: B * D }, (_, i) => b.x1[partner[Math.floor(i / D)] * D + (i % D)]);
    const [indep, ot, best] = [meanSq(b.x0, b.x1), meanSq(b.x0, paired), meanSq(b.x0, exact)];
    const [keIndep, keOt] = [trigKinetic(b.x0, b.x1), trigKinetic(b.x0, paired)];
    t.diagnostic(`seed ${seed}: E|x0 - x1|^2 independent ${indep.toFixed(3)}, OT-coupled ${ot.toFixed(3)}, exact assignment ${best.toFixed(3)}; trig kinetic energy ${keIndep.toFixed(3)} -> ${keOt.toFixed(3)}`);
    // the mean offset is common to every coupling: compare the part a coupling can remove
    assert.ok(indep - ot > 0.6 * (indep - best), `coupled ${ot} vs independent ${indep}, exact ${best}`);
    assert.ok(ot > 0.95 * best, `coupled ${ot} below the exact assignment ${best}: not a coupling`);
    assert.ok(keOt < 0.96 * keIndep, `kinetic ${keOt} vs ${keIndep}`);
    // every row is one of the data points
    for (let p = 0; p < B; p += 37) {
      assert.ok(Array.from({ length: B }, (_, j) => j).some((j) => b.x1[j * D] === paired[p * D] && b.x1[j * D + 1] === paired[p * D + 1]));
    }
  }
  await session.release();
});

test('an OT-coupled training program is bit-reproducible for a seed however the steps are chunked, and differs from the independent one', async () => {
  const net: MlpSpec = { kind: 'mlp', dim: 2, width: 32, depth: 2, activation: 'silu', timeFrequencies: 2 };
  const c = defaultConfig('checkerboard', 42);
  c.train.batch = 64;
  const r = new Rng(3);
  const data = Float32Array.from({ length: 500 * 2 }, () => 2 * r.normal());
  const make = (coupling: 'ot' | 'independent') =>
    TrainSession.create({ config: c, net, interpolant: getInterpolant('trig'), data, base: null, state: initialState(net, 42), backend: 'cpu', threads: 1, coupling });
  const a = await make('ot');
  const la = Array.from((await a.advance(12)).losses);
  const b = await make('ot');
  const lb = [...(await b.advance(5)).losses, ...(await b.advance(7)).losses];
  assert.deepEqual(lb, la);
  assert.deepEqual(b.state.params, a.state.params);
  assert.ok(la.every(Number.isFinite));
  const ind = await make('independent');
  assert.notDeepEqual(Array.from((await ind.advance(12)).losses), la);
  for (const s of [a, b, ind]) await s.release();
});

/** Total variation between the data points' shares under the plan's row draws and uniform. */
async function marginalGap(reg: number, rounds: number): Promise<number> {
  const m = 128;
  const g = new Graph('plan');
  const x0 = g.input('x0', 'float32', [1, m, D]);
  const x1 = g.input('x1', 'float32', [1, m, D]);
  const cost = scaledCost(x0, x1);
  g.setNamedOutputs({ logits: op.div(op.sub(sinkhornPotential(cost, reg, rounds), cost), reg) });
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
  const r = new Rng(5);
  // a checkerboard batch against normal base points: far from the base, so the marginal is at stake
  const a = Float32Array.from({ length: m * D }, () => r.normal());
  const b = new Float32Array(m * D);
  for (let p = 0; p < m; p++) {
    const x = r.uniform() * 8 - 4;
    const row = Math.floor(r.uniform() * 4);
    b[p * 2] = x;
    b[p * 2 + 1] = -4 + 2 * row + r.uniform() * 2 + (Math.floor(x + 4) % 2) * (row === 3 ? -6 : 2);
  }
  const out = await session.run({ x0: new ort.Tensor('float32', a, [1, m, D]), x1: new ort.Tensor('float32', b, [1, m, D]) });
  const l = out.logits.data as Float32Array;
  const usage = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const row = l.subarray(i * m, (i + 1) * m);
    const top = Math.max(...row);
    const z = row.reduce((acc, v) => acc + Math.exp(v - top), 0);
    for (let j = 0; j < m; j++) usage[j] += Math.exp(row[j] - top) / z / m;
  }
  await session.release();
  return usage.reduce((acc, u) => acc + Math.abs(u - 1 / m), 0) / 2;
}

test('the plan\'s row draws keep the data marginal: each data point\'s share is within TV 0.01 of uniform (an unconverged plan is caught)', async (t) => {
  const tv = await marginalGap(OT_REGULARISATION, OT_ROUNDS);
  const loose = await marginalGap(0.02, 10);
  t.diagnostic(`TV ${tv.toFixed(4)} at the defaults; ${loose.toFixed(3)} at eps 0.02 with 10 rounds`);
  assert.ok(tv < 0.01, `TV ${tv}`);
  assert.ok(loose > 0.05, `the check should catch an unconverged plan: TV ${loose}`);
});
