import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXACT_W2_MAX_POINTS, exactW2 } from '../../../../src-main/engine/metrics/exactW2.js';
import { slicedW2 } from '../../../../src-main/engine/metrics/slicedW2.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { UserError } from '../../../../src-main/errors.js';
import { bruteForceMinCost, isPermutation } from './assignmentReference.js';
import { gaussianSamples } from './gaussianSamples.js';

function squaredCosts(x: Float64Array, y: Float64Array, n: number, d: number): Float64Array {
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[i * d + c] - y[j * d + c]) ** 2;
      cost[i * n + j] = s;
    }
  }
  return cost;
}

describe('exactW2', () => {
  test('equals the brute-force optimum over all permutations for n <= 8', () => {
    const rng = new Rng(5);
    for (let k = 0; k < 400; k++) {
      const n = 1 + (k % 8);
      const d = 1 + rng.int(4);
      const x = gaussianSamples(n, d, 1000 + k);
      const y = gaussianSamples(n, d, 5000 + k, [rng.normal()]);
      const { w2, assignment } = exactW2(x, n, y, n, d);
      assert.ok(isPermutation(assignment, n));
      const expected = Math.sqrt(bruteForceMinCost(squaredCosts(x, y, n, d), n) / n);
      assert.ok(Math.abs(w2 - expected) < 1e-12, `n=${n} d=${d}: ${w2} vs ${expected}`);
    }
  });

  test('of a point cloud against a translated copy is the translation length, matching each point to its copy', () => {
    const n = EXACT_W2_MAX_POINTS;
    const t = [0.3, -1.2];
    const x = gaussianSamples(n, 2, 9);
    const y = x.map((v, e) => v + t[e % 2]);
    const { w2, assignment } = exactW2(x, n, y, n, 2);
    assert.ok(Math.abs(w2 - Math.hypot(...t)) < 1e-9, `${w2}`);
    assert.ok(assignment.every((j, i) => j === i));
  });

  test('reports the mean cost of the assignment it returns, and is never below sliced W2', () => {
    const n = 300;
    const d = 3;
    const x = gaussianSamples(n, d, 1);
    const y = gaussianSamples(n, d, 2, [0.5, 0, 0]);
    const { w2, assignment } = exactW2(Float32Array.from(x), n, Float32Array.from(y), n, d);
    assert.ok(isPermutation(assignment, n));
    const cost = squaredCosts(Float64Array.from(Float32Array.from(x)), Float64Array.from(Float32Array.from(y)), n, d);
    let total = 0;
    for (let i = 0; i < n; i++) total += cost[i * n + assignment[i]];
    assert.ok(Math.abs(w2 - Math.sqrt(total / n)) < 1e-12);
    // Projection onto a unit direction is 1-Lipschitz, so every sliced term is <= W2^2.
    assert.ok(slicedW2(x, n, y, n, d) <= w2);
  });

  test('refuses unequal sizes and samples above the limit, pointing to sliced W2', () => {
    const x = gaussianSamples(10, 2, 1);
    assert.throws(() => exactW2(x, 10, x.subarray(0, 18), 9, 2), UserError);
    const big = new Float64Array((EXACT_W2_MAX_POINTS + 1) * 2);
    assert.throws(
      () => exactW2(big, EXACT_W2_MAX_POINTS + 1, big, EXACT_W2_MAX_POINTS + 1, 2),
      (e: unknown) => e instanceof UserError && /2000/.test(e.message) && /sliced W2/.test(e.message),
    );
  });
});
