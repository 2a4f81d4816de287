import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../../src-main/errors.js';
import { cholesky, gaussian } from '../../../../src-main/engine/data/gaussian.js';
import { entropyMonteCarlo } from '../../../../src-main/engine/data/entropy.js';
import { integrateOnGrid } from './densityChecks.js';

const MEAN = [1, -2, 0.5];
const COV = [
  [2, 0.6, -0.3],
  [0.6, 1, 0.2],
  [-0.3, 0.2, 0.5],
];

describe('Gaussian N(m, S) in d dimensions', () => {
  test('cholesky factor L is lower triangular with L L^T = S', () => {
    const l = cholesky(COV.flat(), 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (j > i) assert.equal(l[i * 3 + j], 0);
        let s = 0;
        for (let k = 0; k < 3; k++) s += l[i * 3 + k] * l[j * 3 + k];
        assert.ok(Math.abs(s - COV[i][j]) < 1e-14);
      }
    }
  });

  test('sample mean and covariance match m and S (200k points, 3-D)', () => {
    const g = gaussian(MEAN, COV);
    const n = 200_000;
    const x = g.sample(n, 4);
    const m = [0, 0, 0];
    for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) m[a] += x[i * 3 + a] / n;
    for (let a = 0; a < 3; a++) assert.ok(Math.abs(m[a] - MEAN[a]) < 0.01, `mean[${a}] = ${m[a]}`);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let c = 0;
        for (let i = 0; i < n; i++) c += (x[i * 3 + a] - m[a]) * (x[i * 3 + b] - m[b]);
        c /= n - 1;
        assert.ok(Math.abs(c - COV[a][b]) < 0.02, `cov[${a}][${b}] = ${c}, want ${COV[a][b]}`);
      }
    }
  });

  test('same seed gives the same points, another seed others', () => {
    const g = gaussian(MEAN, COV);
    assert.deepEqual(g.sample(100, 1), g.sample(100, 1));
    assert.notDeepEqual(g.sample(100, 1), g.sample(100, 2));
  });

  test('log-density equals the textbook formula with S^-1 and det S', () => {
    // 2-D: S = [[a, b], [b, c]], S^-1 = [[c, -b], [-b, a]] / det
    const [a, b, c] = [2, 0.8, 1.5];
    const det = a * c - b * b;
    const g = gaussian([0.5, -1], [[a, b], [b, c]]);
    const pts = Float64Array.from([0, 0, 1.2, -3, -2, 4]);
    const got = g.logDensity(pts, 3);
    for (let i = 0; i < 3; i++) {
      const dx = pts[2 * i] - 0.5;
      const dy = pts[2 * i + 1] + 1;
      const q = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
      const want = -0.5 * q - 0.5 * Math.log(det) - Math.log(2 * Math.PI);
      assert.ok(Math.abs(got[i] - want) < 1e-12, `point ${i}: ${got[i]} vs ${want}`);
    }
  });

  test('a correlated 2-D density integrates to 1 on a grid (to 1e-3)', () => {
    const g = gaussian([0.5, -1], [[2, 0.8], [0.8, 1.5]]);
    const total = integrateOnGrid(g.logDensity, { xMin: -8, xMax: 9, yMin: -9, yMax: 7 }, 300);
    assert.ok(Math.abs(total - 1) < 1e-3, `integral ${total}`);
  });

  test('entropy is (1/2) log det(2 pi e S) and agrees with its Monte Carlo estimate', () => {
    const g = gaussian(MEAN, COV);
    const l = g.chol;
    const logDet = 2 * (Math.log(l[0]) + Math.log(l[4]) + Math.log(l[8]));
    assert.ok(Math.abs(g.entropy - 0.5 * (3 * Math.log(2 * Math.PI * Math.E) + logDet)) < 1e-12);
    const mc = entropyMonteCarlo(g, 50_000, 9);
    assert.ok(Math.abs(mc.value - g.entropy) < 4 * mc.stdErr, `${mc.value} +- ${mc.stdErr} vs ${g.entropy}`);
  });

  test('identity covariance by default: the standard normal', () => {
    const g = gaussian([0, 0, 0, 0]);
    assert.ok(Math.abs(g.entropy - 2 * (1 + Math.log(2 * Math.PI))) < 1e-12);
    assert.ok(Math.abs(g.logDensity(new Float64Array(4), 1)[0] + 2 * Math.log(2 * Math.PI)) < 1e-12);
  });

  test('a covariance that is not symmetric positive definite, or of the wrong size, is a UserError', () => {
    assert.throws(() => gaussian([0, 0], [[1, 2], [2, 1]]), (e: unknown) => e instanceof UserError && /not positive definite/.test(e.message));
    assert.throws(() => gaussian([0, 0], [[1, 0.5], [0.2, 1]]), /not symmetric/);
    assert.throws(() => gaussian([0, 0], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]), /must be 2 x 2/);
    assert.throws(() => gaussian([0, NaN]), /finite/);
  });
});
