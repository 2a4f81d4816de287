import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { median, medianPairwiseDistance, selectKth } from '../../../../src-main/engine/metrics/medianHeuristic.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { gaussianSamples } from './gaussianSamples.js';

function sortedMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

describe('median heuristic', () => {
  test('selectKth returns the k-th smallest, with many repeated values', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(60);
      const values = Float64Array.from({ length: n }, () => rng.int(trial % 2 === 0 ? 5 : 1000));
      const sorted = Array.from(values).sort((a, b) => a - b);
      const k = rng.int(n);
      assert.equal(selectKth(values.slice(), k), sorted[k]);
    }
  });

  test('median of odd and even counts matches sorting', () => {
    const rng = new Rng(4);
    for (let trial = 0; trial < 100; trial++) {
      const values = Array.from({ length: 1 + rng.int(40) }, () => rng.normal());
      assert.equal(median(Float64Array.from(values)), sortedMedian(values));
    }
  });

  test('is the median of all pooled pairwise distances when the pool fits', () => {
    const x = gaussianSamples(30, 2, 1);
    const y = gaussianSamples(20, 2, 2, [3, 0]);
    const pooled = [...x, ...y];
    const distances: number[] = [];
    for (let i = 0; i < 50; i++) {
      for (let j = 0; j < i; j++) {
        distances.push(Math.hypot(pooled[2 * i] - pooled[2 * j], pooled[2 * i + 1] - pooled[2 * j + 1]));
      }
    }
    const got = medianPairwiseDistance(x, 30, y, 20, 2);
    assert.ok(Math.abs(got - sortedMedian(distances)) < 1e-12);
  });

  test('a seeded subsample is reproducible and close to the full median', () => {
    const x = gaussianSamples(1500, 2, 5);
    const y = gaussianSamples(1500, 2, 6);
    const full = medianPairwiseDistance(x, 1500, y, 1500, 2, 3000);
    const sub = medianPairwiseDistance(x, 1500, y, 1500, 2, 600, 9);
    assert.equal(sub, medianPairwiseDistance(x, 1500, y, 1500, 2, 600, 9));
    assert.ok(Math.abs(sub / full - 1) < 0.05, `${sub} vs ${full}`);
    // For N(0, I_2), |X - X'| is Rayleigh(sqrt 2) with median 2 sqrt(ln 2).
    assert.ok(Math.abs(full / (2 * Math.sqrt(Math.LN2)) - 1) < 0.03, `${full}`);
  });
});
