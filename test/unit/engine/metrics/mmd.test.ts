import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mmd, mmdWithFloor, MMD_MEDIAN_SCALES } from '../../../../src-main/engine/metrics/mmd.js';
import { medianPairwiseDistance } from '../../../../src-main/engine/metrics/medianHeuristic.js';
import { meanStdErr } from '../../../../src-main/engine/metrics/meanStdErr.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianSamples, halfShift } from './gaussianSamples.js';

const D = 2;
const SEEDS = [0, 1, 2];

function meanAbsSameDistribution(n: number): number {
  let total = 0;
  for (const seed of SEEDS) {
    total += Math.abs(mmd(gaussianSamples(n, D, 100 + seed), n, gaussianSamples(n, D, 200 + seed), n, D).mmd2);
  }
  return total / SEEDS.length;
}

describe('mmd', () => {
  test('matches the unbiased formula on hand-computed 1-D samples', () => {
    // x = {0, 1}, y = {3, 5}, sigma = 1: k(a, b) = exp(-(a - b)^2 / 2)
    const k = (r: number) => Math.exp(-(r * r) / 2);
    const expected = k(1) + k(2) - (2 / 4) * (k(3) + k(5) + k(2) + k(4));
    const got = mmd(Float64Array.of(0, 1), 2, Float64Array.of(3, 5), 2, 1, { bandwidths: [1] });
    assert.ok(Math.abs(got.mmd2 - expected) < 1e-15);
    assert.deepEqual(got.bandwidths, [1]);
  });

  test('with several bandwidths equals the sum of the single-bandwidth values', () => {
    // Halving ladders (8, 4, 2, 1) take the squaring path; 3 and 0.7 take direct exps.
    const x = gaussianSamples(120, 3, 1);
    const y = gaussianSamples(90, 3, 2, [0.3, 0, 0]);
    for (const bandwidths of [[8, 4, 2, 1], [3, 0.7, 0.35], [0.125, 0.25, 0.5, 1, 2, 4, 8]]) {
      const sum = bandwidths.reduce((s, b) => s + mmd(x, 120, y, 90, 3, { bandwidths: [b] }).mmd2, 0);
      const joint = mmd(x, 120, y, 90, 3, { bandwidths }).mmd2;
      assert.ok(Math.abs(joint - sum) < 1e-12, `${bandwidths}: ${joint} vs ${sum}`);
    }
  });

  test('by default uses the median-scaled bandwidth set; medianScales [1] is the plain heuristic', () => {
    const x = gaussianSamples(200, D, 3);
    const y = gaussianSamples(200, D, 4);
    const med = medianPairwiseDistance(x, 200, y, 200, D);
    assert.deepEqual(mmd(x, 200, y, 200, D).bandwidths, MMD_MEDIAN_SCALES.map((s) => s * med));
    assert.deepEqual(mmd(x, 200, y, 200, D, { medianScales: [1] }).bandwidths, [med]);
  });

  test('is unbiased: over seeds, same-distribution values centre on zero (and some are negative)', () => {
    const values = [];
    for (let seed = 0; seed < 12; seed++) {
      values.push(mmd(gaussianSamples(200, D, 10 + seed), 200, gaussianSamples(200, D, 40 + seed), 200, D).mmd2);
    }
    const { mean, stdErr } = meanStdErr(values);
    assert.ok(Math.abs(mean) < 4 * stdErr, `${mean} +- ${stdErr}`);
    assert.ok(values.some((v) => v < 0));
  });

  test('between two samples of one distribution shrinks as n grows', () => {
    const m250 = meanAbsSameDistribution(250);
    const m1000 = meanAbsSameDistribution(1000);
    const m2000 = meanAbsSameDistribution(2000);
    assert.ok(m1000 < m250 / 2 && m2000 < m250 / 4, `${m250} ${m1000} ${m2000}`);
  });

  test('separates a mean shift of 0.5 clearly from sampling noise', () => {
    const n = 1000;
    const shifted = mmd(gaussianSamples(n, D, 100), n, gaussianSamples(n, D, 300, halfShift(D)), n, D).mmd2;
    assert.ok(shifted > 20 * meanAbsSameDistribution(n), `${shifted}`);
  });

  test('rejects single points, bad bandwidths and samples of one repeated point', () => {
    const x = gaussianSamples(10, D, 1);
    assert.throws(() => mmd(x.subarray(0, 2), 1, x, 10, D), UserError);
    assert.throws(() => mmd(x, 10, x, 10, D, { bandwidths: [1, 0] }), UserError);
    assert.throws(() => mmd(x, 10, x, 10, D, { bandwidths: [] }), UserError);
    const same = new Float64Array(20).fill(1);
    assert.throws(() => mmd(same, 10, same, 10, D), /fixed MMD bandwidths/);
  });
});

describe('MMD beside its floor', () => {
  test('the value and the floor use one kernel, chosen from the data samples alone', () => {
    const n = 200;
    const data1 = gaussianSamples(n, D, 1);
    const data2 = gaussianSamples(n, D, 2);
    const near = gaussianSamples(n, D, 3, halfShift(D));
    const far = gaussianSamples(n, D, 4, [6, -6]);
    const a = mmdWithFloor(near, data1, data2, n, D, { seed: 5 });
    const b = mmdWithFloor(far, data1, data2, n, D, { seed: 5 });
    // a model's samples cannot stretch the kernel: both models are scored with the floor's bandwidths
    assert.deepEqual(a.bandwidths, b.bandwidths);
    assert.equal(a.floor, b.floor);
    assert.deepEqual(a.bandwidths, mmd(data2, n, data1, n, D, { seed: 5 }).bandwidths);
    assert.equal(a.floor, mmd(data2, n, data1, n, D, { bandwidths: a.bandwidths }).mmd2);
    assert.equal(b.mmd2, mmd(far, n, data1, n, D, { bandwidths: a.bandwidths }).mmd2);
    assert.notDeepEqual(mmd(far, n, data1, n, D, { seed: 5 }).bandwidths, a.bandwidths, 'the pooled median with the far model differs');
    assert.ok(b.mmd2 > a.mmd2 && a.mmd2 > a.floor);
  });
});
