import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linear, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { nfeCurve, nfeGrid, nfeToReach, type NfePoint } from '../../../../src-main/engine/sample/nfeCurve.js';
import type { FixedMethod } from '../../../../src-main/engine/sample/rungeKutta.js';
import { gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';

test('the dense grid: every NFE from 1 to the limit, each method where its stages divide it', () => {
  const grid = nfeGrid(32);
  const count = (m: FixedMethod) => grid.filter((p) => p.method === m).length;
  assert.deepEqual([count('euler'), count('midpoint'), count('heun'), count('rk4')], [32, 16, 16, 8]);
  assert.deepEqual(grid.filter((p) => p.nfe === 1).map((p) => p.method), ['euler']);
  assert.deepEqual(grid.filter((p) => p.nfe === 12).map((p) => `${p.method}-${p.steps}`), ['euler-12', 'midpoint-6', 'heun-6', 'rk4-3']);
  for (let i = 1; i < grid.length; i++) assert.ok(grid[i].nfe >= grid[i - 1].nfe);
  assert.throws(() => nfeGrid(0), /maxNfe must be a whole number/);
});

/**
 * dx/dt = x from x(0) = 1 to t = 1 (exact: e). A k-step solve multiplies by the method's
 * stability polynomial R(h) k times, h = 1 / k: euler 1 + h, midpoint and heun 1 + h + h^2/2,
 * rk4 1 + h + h^2/2 + h^3/6 + h^4/24; so the k-step error e - R(h)^k is known exactly.
 */
test('the NFE search on an exact field whose k-step error is known: the curve matches it and the search finds the fewest NFE', async () => {
  const R: Record<FixedMethod, (h: number) => number> = {
    euler: (h) => 1 + h,
    midpoint: (h) => 1 + h + h ** 2 / 2,
    heun: (h) => 1 + h + h ** 2 / 2,
    rk4: (h) => 1 + h + h ** 2 / 2 + h ** 3 / 6 + h ** 4 / 24,
  };
  const exact = Math.E;
  const curve = await nfeCurve(
    (method, steps) => integrateFixed(async (_t, x) => Float64Array.from(x), [1], 1, 1, { t0: 0, t1: 1, steps, method }),
    (x) => Math.abs(x[0] - exact),
  );
  assert.equal(curve.length, 72);
  for (const p of curve) {
    const known = Math.abs(exact - R[p.method](1 / p.steps) ** p.steps);
    assert.ok(Math.abs(p.value - known) < 1e-13, `${p.method}-${p.steps}: ${p.value} vs ${known}`);
  }
  // rk4's error: 9.9e-3 at 1 step (4 NFE), 9.4e-4 at 2 (8 NFE), 2.1e-4 at 3 (12 NFE); midpoint's
  // 0.218 at 1 step, 1.7e-3 at 16 (32 NFE); euler's about e / (2k), 0.041 at 32
  assert.equal(nfeToReach(curve, 5e-4), 12);
  assert.equal(nfeToReach(curve, 0.05), 4);
  assert.equal(nfeToReach(curve, 0.25), 2); // midpoint-1 (0.218); euler-2 is 0.468
  const rk4At1 = curve.find((p) => p.method === 'rk4' && p.steps === 1)!.value;
  assert.equal(nfeToReach(curve, rk4At1), 4);
  // brute force over the closed forms: the fewest NFE at which some method's error is within 1e-6
  let fewest = Infinity;
  for (const g of nfeGrid()) if (Math.abs(exact - R[g.method](1 / g.steps) ** g.steps) <= 1e-6) fewest = Math.min(fewest, g.nfe);
  assert.equal(nfeToReach(curve, 1e-6), fewest);
  assert.equal(nfeToReach(curve, 1e-12), Infinity);
});

test('the search counts a method from the NFE on which it stays within, not a crossing on the way', () => {
  // within the tolerance of the converged figure and at most the bar, as evaluateSteps.ts asks
  const within = (o: { reference: number; tolerance: number; bar?: number }) => (v: number) => Math.abs(v - o.reference) <= o.tolerance && v <= (o.bar ?? Infinity);
  const pts = (method: FixedMethod, values: number[]): NfePoint[] => values.map((value, i) => ({ method, steps: i + 1, nfe: i + 1, value }));
  // euler's figure, biased low at coarse steps, crosses the band around the converged 0.30 at 2 NFE and leaves it
  const curve = pts('euler', [-0.5, 0.29, 0.2, 0.25, 0.27, 0.285, 0.295, 0.3]);
  assert.equal(nfeToReach(curve, within({ reference: 0.3, tolerance: 0.02 })), 6);
  // the bar: within 0.02 of its own 0.30 and at most 0.29
  assert.equal(nfeToReach(curve, within({ reference: 0.3, tolerance: 0.02, bar: 0.29 })), Infinity);
  assert.equal(nfeToReach(curve, within({ reference: 0.3, tolerance: 0.02, bar: 0.31 })), 6);
  // two methods: the least over them
  const two = [...curve, ...pts('rk4', [0.1, 0.31, 0.3, 0.3]).map((p) => ({ ...p, nfe: 4 * p.steps }))];
  assert.equal(nfeToReach(two, within({ reference: 0.3, tolerance: 0.02 })), 6);
  assert.equal(nfeToReach(two, within({ reference: 0.3, tolerance: 0.011 })), 7);
  assert.equal(nfeToReach(two, within({ reference: 0.3, tolerance: 0.004 })), 8);
});

test('the NFE curve on the exact Gaussian flow: errors fall with steps, rk4 beats Euler at equal NFE', async () => {
  const d = 2;
  const n = 64;
  const x0 = normalPoints(n, d, 1);
  for (const it of [trig, linear]) {
    const { field } = gaussianProblem(d, 2, it);
    const exact = field.flowMap(x0, n, 0, 1);
    const grid = nfeGrid(32, ['euler', 'rk4']).filter((p) => [2, 4, 8, 16, 32].includes(p.steps));
    const curve = await nfeCurve((method, steps) => integrateFixed(field, x0, n, d, { t0: 0, t1: 1, steps, method }), (x) => maxAbsDiff(x, exact), grid);
    for (const method of ['euler', 'rk4']) {
      const values = curve.filter((p) => p.method === method).map((p) => p.value);
      for (let i = 1; i < values.length; i++) assert.ok(values[i] < values[i - 1], `${it.name} ${method}: ${values}`);
    }
    const at = (method: string, nfe: number) => curve.find((p) => p.method === method && p.nfe === nfe)!.value;
    assert.ok(at('rk4', 32) < at('euler', 32));
    assert.equal(nfeToReach(curve, at('rk4', 16)), 16);
  }
});
