import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meanNorm, straightness } from '../../../../src-main/engine/metrics/transportGeometry.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianSamples } from './gaussianSamples.js';

/** integral_0^1 |dx/dt|^2 dt along a path sampled at steps+1 equally spaced times (finite differences). */
function pathKineticEnergy(path: (t: number) => [number, number], steps: number): number {
  let total = 0;
  let prev = path(0);
  for (let s = 1; s <= steps; s++) {
    const next = path(s / steps);
    total += ((next[0] - prev[0]) ** 2 + (next[1] - prev[1]) ** 2) * steps;
    prev = next;
  }
  return total;
}

describe('straightness', () => {
  test('is 1 for straight paths at constant speed', () => {
    const n = 400;
    const x0 = gaussianSamples(n, 2, 1);
    const x1 = gaussianSamples(n, 2, 2);
    // Straight constant-speed paths x0 + t (x1 - x0): kinetic energy = E|x1 - x0|^2.
    let kinetic = 0;
    for (let i = 0; i < 2 * n; i++) kinetic += (x1[i] - x0[i]) ** 2;
    kinetic /= n;
    assert.ok(Math.abs(straightness(x0, x1, n, 2, kinetic) - 1) < 1e-12);
  });

  test('is 4/pi^2 for half-circle paths, whose energy exceeds the straight one', () => {
    // A half circle of radius 1 from (-1, 0) to (1, 0) at constant speed: energy pi^2, |x1 - x0|^2 = 4.
    const kinetic = pathKineticEnergy((t) => [-Math.cos(Math.PI * t), Math.sin(Math.PI * t)], 20000);
    const got = straightness(Float64Array.of(-1, 0), Float64Array.of(1, 0), 1, 2, kinetic);
    assert.ok(Math.abs(got - 4 / Math.PI ** 2) < 1e-6, `${got}`);
  });

  test('rejects a kinetic energy that is not positive', () => {
    assert.throws(() => straightness(Float64Array.of(0), Float64Array.of(1), 1, 1, 0), UserError);
  });
});

describe('meanNorm', () => {
  test('gives the mean and largest Euclidean norm of row differences', () => {
    const a = Float32Array.of(3, 4, 1, 1, 7, 9);
    const b = Float32Array.of(0, 0, 1, 1, 1, 1);
    assert.deepEqual(meanNorm(a, b, 3, 2), { mean: 5, max: 10 });
  });

  test('is zero for a perfect encode-decode cycle and grows with the round-trip error', () => {
    const x = gaussianSamples(100, 3, 1);
    assert.deepEqual(meanNorm(x, x.slice(), 100, 3), { mean: 0, max: 0 });
    const noisy = x.map((v, e) => v + (e % 3 === 0 ? 1e-3 : 0));
    const err = meanNorm(noisy, x, 100, 3);
    assert.ok(Math.abs(err.mean - 1e-3) < 1e-12 && Math.abs(err.max - 1e-3) < 1e-12);
  });
});
