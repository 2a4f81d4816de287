import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withFloor } from '../../../../src-main/engine/metrics/calibrationFloor.js';
import { energyDistance } from '../../../../src-main/engine/metrics/energyDistance.js';
import { exactW2 } from '../../../../src-main/engine/metrics/exactW2.js';
import { mmd } from '../../../../src-main/engine/metrics/mmd.js';
import { slicedW2 } from '../../../../src-main/engine/metrics/slicedW2.js';
import type { Samples } from '../../../../src-main/engine/metrics/pointCloud.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianSamples, halfShift } from './gaussianSamples.js';

const D = 2;
const cloud = (points: Float64Array, n: number) => ({ points, n, d: D });

describe('withFloor', () => {
  const data1 = cloud(gaussianSamples(600, D, 1), 600);
  const data2 = cloud(gaussianSamples(900, D, 2), 900);

  test('floor is the same distance from the first n points of the second data sample', () => {
    const model = cloud(gaussianSamples(500, D, 3, halfShift(D)), 500);
    const { value, floor } = withFloor(energyDistance, model, data1, data2);
    assert.equal(value, energyDistance(model.points, 500, data1.points, 600, D));
    assert.equal(floor, energyDistance(data2.points.subarray(0, 500 * D), 500, data1.points, 600, D));
  });

  test('a model that samples the data distribution scores near the floor; a shifted one far above it', () => {
    const metrics: Record<string, (x: Samples, nx: number, y: Samples, ny: number, d: number) => number> = {
      energy: energyDistance,
      mmd: (x, nx, y, ny, d) => mmd(x, nx, y, ny, d, { bandwidths: [0.25, 0.5, 1, 2] }).mmd2,
      slicedW2: (x, nx, y, ny, d) => slicedW2(x, nx, y, ny, d, { seed: 1 }),
    };
    const good = cloud(gaussianSamples(600, D, 4), 600);
    const shifted = cloud(gaussianSamples(600, D, 5, halfShift(D)), 600);
    for (const [name, metric] of Object.entries(metrics)) {
      const fair = withFloor(metric, good, data1, data2);
      const bad = withFloor(metric, shifted, data1, data2);
      const noise = Math.max(Math.abs(fair.floor), Math.abs(fair.value));
      assert.ok(bad.value > 2 * noise, `${name}: shifted ${bad.value} vs ${fair.value}, floor ${fair.floor}`);
      assert.equal(bad.floor, fair.floor, `${name}: the floor does not depend on the model`);
    }
  });

  test('works with exact W2 when all samples have one size', () => {
    const model = cloud(gaussianSamples(200, D, 6), 200);
    const { value, floor } = withFloor(
      (x, nx, y, ny, d) => exactW2(x, nx, y, ny, d).w2,
      model,
      cloud(gaussianSamples(200, D, 7), 200),
      cloud(gaussianSamples(200, D, 8), 200),
    );
    assert.ok(value > 0 && floor > 0 && value < 3 * floor && floor < 3 * value, `${value} ${floor}`);
  });

  test('rejects a calibration sample smaller than the model sample, or another dimension', () => {
    const model = cloud(gaussianSamples(700, D, 3), 700);
    assert.throws(() => withFloor(energyDistance, model, data1, cloud(gaussianSamples(600, D, 2), 600)), UserError);
    const wide = { points: gaussianSamples(100, 3, 1), n: 100, d: 3 };
    assert.throws(() => withFloor(energyDistance, cloud(gaussianSamples(100, D, 3), 100), wide, data2), UserError);
  });
});
