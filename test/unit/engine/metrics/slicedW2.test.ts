import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { orthonormalDirections, slicedW2, w2SquaredSorted1d } from '../../../../src-main/engine/metrics/slicedW2.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianSamples, halfShift } from './gaussianSamples.js';

const D = 2;
const SEEDS = [0, 1, 2];

function meanSameDistribution(n: number): number {
  let total = 0;
  for (const seed of SEEDS) {
    total += slicedW2(gaussianSamples(n, D, 100 + seed), n, gaussianSamples(n, D, 200 + seed), n, D, { seed });
  }
  return total / SEEDS.length;
}

/** Each point of a [n, d] sample repeated `times` times: the same empirical distribution. */
function repeatPoints(x: Float64Array, n: number, d: number, times: number): Float64Array {
  const out = new Float64Array(n * d * times);
  for (let r = 0; r < times; r++) out.set(x, r * n * d);
  return out;
}

describe('1-D W2 between sorted samples', () => {
  test('equal sizes: mean squared difference of the sorted values', () => {
    assert.equal(w2SquaredSorted1d(Float64Array.of(0, 1, 5), Float64Array.of(1, 1, 2)), (1 + 0 + 9) / 3);
  });

  test('unequal sizes: integral of the squared quantile difference', () => {
    // Qa = 0 on (0,1/2], 1 on (1/2,1]; Qb = 0, 1, 2 on thirds: (0-1)^2/6 + (1-2)^2/3
    assert.ok(Math.abs(w2SquaredSorted1d(Float64Array.of(0, 1), Float64Array.of(0, 1, 2)) - 0.5) < 1e-15);
  });

  test('repeating every point leaves it unchanged', () => {
    const a = Float64Array.of(-1, 0.5, 2, 4, 7).sort();
    const b = Float64Array.of(0, 0.2, 3).sort();
    const a3 = repeatPoints(a, 5, 1, 3).sort();
    assert.ok(Math.abs(w2SquaredSorted1d(a, b) - w2SquaredSorted1d(a3, b)) < 1e-12);
  });
});

describe('slicedW2', () => {
  test('directions are unit vectors, orthogonal within each block of d', () => {
    const d = 3;
    const dirs = orthonormalDirections(10, d, 5);
    for (let l = 0; l < 10; l++) {
      for (let q = l - (l % d); q <= l; q++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += dirs[l * d + c] * dirs[q * d + c];
        assert.ok(Math.abs(dot - (q === l ? 1 : 0)) < 1e-12);
      }
    }
  });

  test('is zero for identical samples and reproducible for a seed', () => {
    const x = gaussianSamples(500, 3, 1);
    const y = gaussianSamples(500, 3, 2);
    assert.equal(slicedW2(x, 500, x.slice(), 500, 3), 0);
    assert.equal(slicedW2(x, 500, y, 500, 3, { seed: 4 }), slicedW2(x, 500, y, 500, 3, { seed: 4 }));
  });

  test('between N(0, I) and N(m, I) approaches |m| in 1-D and |m|/sqrt(d) (the sphere average) in d dims', () => {
    const n = 8000;
    for (const [d, m] of [
      [1, [1.5]],
      [2, [1, -1]],
      [5, [2, 0, 1, 0, 0]],
    ] as const) {
      const norm = Math.hypot(...m);
      const got = slicedW2(gaussianSamples(n, d, 11), n, gaussianSamples(n, d, 12, m), n, d);
      const expected = norm / Math.sqrt(d);
      assert.ok(Math.abs(got - expected) < 0.03 * Math.max(1, expected), `d=${d}: ${got} vs ${expected}`);
    }
  });

  test('handles unequal sizes: repeating points changes nothing, and a shift is still measured', () => {
    const x = gaussianSamples(300, D, 1);
    const y = gaussianSamples(200, D, 2, [1, 0]);
    const base = slicedW2(x, 300, y, 200, D, { seed: 3 });
    assert.ok(Math.abs(base - slicedW2(repeatPoints(x, 300, D, 2), 600, y, 200, D, { seed: 3 })) < 1e-12);
    const big = slicedW2(gaussianSamples(6000, D, 5), 6000, gaussianSamples(4000, D, 6, [1, 1]), 4000, D);
    assert.ok(Math.abs(big - 1) < 0.03, `${big}`);
  });

  test('between two samples of one distribution shrinks as n grows', () => {
    const s250 = meanSameDistribution(250);
    const s1000 = meanSameDistribution(1000);
    const s4000 = meanSameDistribution(4000);
    assert.ok(s1000 < s250 / 1.4 && s4000 < s1000 / 1.4, `${s250} ${s1000} ${s4000}`);
  });

  test('separates a mean shift of 0.5 clearly from sampling noise', () => {
    const n = 1000;
    const shifted = slicedW2(gaussianSamples(n, D, 100), n, gaussianSamples(n, D, 300, halfShift(D)), n, D);
    assert.ok(shifted > 3 * meanSameDistribution(n), `${shifted}`);
  });

  test('of a translated copy is exactly |t|/sqrt(d): each orthonormal block sums (theta . t)^2 to |t|^2', () => {
    const x = gaussianSamples(400, D, 8);
    const shifted = x.map((v, e) => v + (e % D === 0 ? 0.7 : -0.2));
    const got = slicedW2(x, 400, shifted, 400, D);
    assert.ok(Math.abs(got - Math.hypot(0.7, 0.2) / Math.sqrt(D)) < 1e-12, `${got}`);
  });

  test('rejects a non-positive number of projections', () => {
    const x = gaussianSamples(10, D, 1);
    assert.throws(() => slicedW2(x, 10, x, 10, D, { projections: 0 }), UserError);
  });
});
