import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { energyDistance } from '../../../../src-main/engine/metrics/energyDistance.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianSamples, halfShift } from './gaussianSamples.js';

const D = 2;
const SEEDS = [0, 1, 2];

function meanSameDistribution(n: number): number {
  let total = 0;
  for (const seed of SEEDS) {
    total += energyDistance(gaussianSamples(n, D, 100 + seed), n, gaussianSamples(n, D, 200 + seed), n, D);
  }
  return total / SEEDS.length;
}

describe('energyDistance', () => {
  test('matches the formula on hand-computed 1-D samples', () => {
    // x = {0}, y = {1}: 2*1 - 0 - 0
    assert.equal(energyDistance(Float64Array.of(0), 1, Float64Array.of(1), 1, 1), 2);
    // x = {0, 2}, y = {1}: 2*mean(1, 1) - mean(0, 2, 2, 0) - 0 = 2 - 1
    assert.equal(energyDistance(Float64Array.of(0, 2), 2, Float64Array.of(1), 1, 1), 1);
  });

  test('is exactly zero for identical samples and positive otherwise', () => {
    const x = gaussianSamples(300, D, 7);
    assert.ok(Math.abs(energyDistance(x, 300, x.slice(), 300, D)) < 1e-12);
    assert.ok(energyDistance(x, 300, gaussianSamples(300, D, 8), 300, D) > 0);
  });

  test('is symmetric and gives the same value for Float32 and Float64 inputs', () => {
    const x = Float32Array.from(gaussianSamples(200, 3, 1));
    const y = Float32Array.from(gaussianSamples(150, 3, 2, [1, 0, 0]));
    const xy = energyDistance(x, 200, y, 150, 3);
    assert.ok(Math.abs(xy - energyDistance(y, 150, x, 200, 3)) < 1e-12);
    assert.ok(Math.abs(xy - energyDistance(Float64Array.from(x), 200, Float64Array.from(y), 150, 3)) < 1e-12);
  });

  test('between two samples of one distribution shrinks like 1/n', () => {
    const e250 = meanSameDistribution(250);
    const e1000 = meanSameDistribution(1000);
    const e4000 = meanSameDistribution(4000);
    assert.ok(e1000 < e250 / 1.5 && e4000 < e1000 / 1.5, `${e250} ${e1000} ${e4000}`);
    // E[V] = (1/nx + 1/ny) E|X - X'| exactly; for N(0, I_2), E|X - X'| = sqrt(pi).
    const expected = (2 / 4000) * Math.sqrt(Math.PI);
    assert.ok(e4000 > expected / 2 && e4000 < expected * 2, `${e4000} vs ${expected}`);
  });

  test('separates a mean shift of 0.5 clearly from sampling noise', () => {
    const n = 1000;
    const shifted = energyDistance(gaussianSamples(n, D, 100), n, gaussianSamples(n, D, 300, halfShift(D)), n, D);
    assert.ok(shifted > 10 * meanSameDistribution(n), `${shifted}`);
  });

  test('rejects samples whose length is not n x d', () => {
    assert.throws(() => energyDistance(new Float64Array(5), 3, new Float64Array(6), 3, 2), UserError);
    assert.throws(() => energyDistance(new Float64Array(0), 0, new Float64Array(2), 1, 2), UserError);
  });
});
