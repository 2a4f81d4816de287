import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { solveAssignment } from '../../../../src-main/engine/metrics/assignment.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { UserError } from '../../../../src-main/errors.js';
import { bruteForceMinCost, hungarianMinCost, isPermutation } from './assignmentReference.js';

/** Cost matrices of different character: generic, heavily tied, geometric, shifted, low rank. */
const FAMILIES: Record<string, (n: number, rng: Rng) => Float64Array> = {
  uniform: (n, rng) => Float64Array.from({ length: n * n }, () => rng.uniform()),
  smallIntegers: (n, rng) => Float64Array.from({ length: n * n }, () => rng.int(4)),
  squaredEuclidean: (n, rng) => {
    const p = Float64Array.from({ length: 4 * n }, () => rng.normal());
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) c[i * n + j] = (p[2 * i] - p[2 * n + 2 * j]) ** 2 + (p[2 * i + 1] - p[2 * n + 2 * j + 1]) ** 2;
    }
    return c;
  },
  negativeOffset: (n, rng) => Float64Array.from({ length: n * n }, () => -1000 + 10 * rng.normal()),
  rankOne: (n, rng) => {
    const a = Array.from({ length: n }, () => rng.uniform());
    const b = Array.from({ length: n }, () => rng.uniform());
    return Float64Array.from({ length: n * n }, (_, e) => a[Math.floor(e / n)] * b[e % n]);
  },
  constant: (n) => new Float64Array(n * n).fill(2.5),
};

function assignedCost(cost: Float64Array, n: number, sigma: Int32Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += cost[i * n + sigma[i]];
  return total;
}

function close(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

describe('solveAssignment', () => {
  test('finds the brute-force optimum on every small instance (n <= 8)', () => {
    const rng = new Rng(2024);
    let instances = 0;
    for (const [name, make] of Object.entries(FAMILIES)) {
      for (let n = 1; n <= 8; n++) {
        const count = n === 8 ? 8 : 30;
        for (let k = 0; k < count; k++) {
          const cost = make(n, rng);
          const sigma = solveAssignment(cost, n);
          assert.ok(isPermutation(sigma, n), `${name} n=${n}: not a permutation`);
          const got = assignedCost(cost, n, sigma);
          const best = bruteForceMinCost(cost, n);
          assert.ok(close(got, best, 1e-12), `${name} n=${n}: ${got} vs optimum ${best}`);
          instances++;
        }
      }
    }
    assert.ok(instances > 1000);
  });

  test('agrees with the textbook Hungarian method on larger instances', () => {
    const rng = new Rng(77);
    for (const [name, make] of Object.entries(FAMILIES)) {
      for (const n of [17, 60, 150]) {
        const cost = make(n, rng);
        const sigma = solveAssignment(cost, n);
        assert.ok(isPermutation(sigma, n));
        const got = assignedCost(cost, n, sigma);
        const ref = hungarianMinCost(cost, n);
        assert.ok(close(got, ref, 1e-10), `${name} n=${n}: ${got} vs ${ref}`);
      }
    }
  });

  test('is the identity when the diagonal is the unique row minimum', () => {
    const n = 50;
    const cost = new Float64Array(n * n).fill(1);
    for (let i = 0; i < n; i++) cost[i * n + i] = 0;
    assert.deepEqual(Array.from(solveAssignment(cost, n)), Array.from({ length: n }, (_, i) => i));
  });

  test('handles sizes 0 and 1', () => {
    assert.equal(solveAssignment(new Float64Array(0), 0).length, 0);
    assert.deepEqual(Array.from(solveAssignment(Float64Array.of(3), 1)), [0]);
  });

  test('rejects a non-square matrix and non-finite costs', () => {
    assert.throws(() => solveAssignment(new Float64Array(6), 3), UserError);
    assert.throws(() => solveAssignment(Float64Array.of(0, 1, NaN, 2), 2), /\[1, 0\] is NaN/);
    assert.throws(() => solveAssignment(Float64Array.of(0, Infinity, 1, 2), 2), UserError);
  });
});
