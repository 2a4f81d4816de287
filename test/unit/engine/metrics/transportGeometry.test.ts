import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meanNorm, pathEnergy, straightness } from '../../../../src-main/engine/metrics/transportGeometry.js';
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

describe('pathEnergy', () => {
  test('straight constant-speed paths: exactly E|x1 - x0|^2 / T', () => {
    const x0 = Float64Array.of(0, 0, 1, 1);
    const x1 = Float64Array.of(3, 4, 1, -1);
    const K = 5;
    const states = Array.from({ length: K + 1 }, (_, k) => x0.map((a, e) => a + (k / K) * (x1[e] - a)));
    // |x1 - x0|^2 = 25 and 4; over T = 0.5 the speed doubles, the energy integral_0^T |v|^2 dt = |dx|^2 / T
    assert.ok(Math.abs(pathEnergy(states, 2, 2, 0.5) - (25 + 4) / 2 / 0.5) < 1e-12);
  });

  test('a quarter circle at constant speed: (pi r / 2)^2, with O(h^2) error from the chords', () => {
    const r = 2;
    const energy = (K: number) => pathEnergy(Array.from({ length: K + 1 }, (_, k) => {
      const th = (k / K) * (Math.PI / 2);
      return Float64Array.of(r * Math.cos(th), r * Math.sin(th));
    }), 1, 2, 1);
    const exact = (Math.PI * r / 2) ** 2;
    const e16 = Math.abs(energy(16) - exact);
    const e32 = Math.abs(energy(32) - exact);
    assert.ok(e32 < 1e-3 * exact, `${energy(32)} vs ${exact}`);
    assert.ok(Math.abs(e16 / e32 - 4) < 0.1, `error ratio ${e16 / e32} (second order: 4)`);
  });
});
