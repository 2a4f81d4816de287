import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureMoments, frechetDistance, traceSqrtProduct, type FeatureMoments } from '../../../../../src-main/engine/metrics/images/frechet.js';
import { Rng } from '../../../../../src-main/engine/random.js';

function moments(mean: number[], cov: number[]): FeatureMoments {
  return { dim: mean.length, count: 0, mean: Float64Array.from(mean), cov: Float64Array.from(cov) };
}

/** A random symmetric positive definite F x F matrix B B^T / F + 0.1 I. */
function randomSpd(F: number, rng: Rng): Float64Array {
  const b = Float64Array.from({ length: F * F }, () => rng.normal());
  const s = new Float64Array(F * F);
  for (let i = 0; i < F; i++) for (let j = 0; j < F; j++) {
    let acc = 0;
    for (let k = 0; k < F; k++) acc += b[i * F + k] * b[j * F + k];
    s[i * F + j] = acc / F + (i === j ? 0.1 : 0);
  }
  return s;
}

test('diagonal covariances: FD = |mu1 - mu2|^2 + sum (sqrt a_i - sqrt b_i)^2', () => {
  const a = [1, 4, 0.25];
  const b = [9, 1, 0.25];
  const fd = frechetDistance(moments([0, 1, 2], [a[0], 0, 0, 0, a[1], 0, 0, 0, a[2]]), moments([1, 1, 0], [b[0], 0, 0, 0, b[1], 0, 0, 0, b[2]]));
  const exact = 1 + 4 + (1 - 3) ** 2 + (2 - 1) ** 2 + 0;
  assert.ok(Math.abs(fd - exact) < 1e-10, `${fd} vs ${exact}`);
});

test('non-commuting 2 x 2 covariances: tr (S1 S2)^{1/2} = sqrt(tr(S1 S2) + 2 sqrt(det S1 det S2))', () => {
  const s1 = Float64Array.from([2, 0.7, 0.7, 1]);
  const s2 = Float64Array.from([0.5, -0.3, -0.3, 3]);
  const tr12 = s1[0] * s2[0] + s1[1] * s2[2] + s1[2] * s2[1] + s1[3] * s2[3];
  const det = (m: Float64Array) => m[0] * m[3] - m[1] * m[2];
  const exact = Math.sqrt(tr12 + 2 * Math.sqrt(det(s1) * det(s2)));
  assert.ok(Math.abs(traceSqrtProduct(s1, s2, 2) - exact) < 1e-12);
  const fd = frechetDistance(moments([0, 0], Array.from(s1)), moments([0, 0], Array.from(s2)));
  assert.ok(Math.abs(fd - (2 + 1 + 0.5 + 3 - 2 * exact)) < 1e-12);
});

test('a covariance against a scaled copy of itself: FD = (sqrt c - 1)^2 tr S (F = 64, random S)', () => {
  const F = 64;
  const s = randomSpd(F, new Rng(3, 1));
  const c = 2.5;
  let tr = 0;
  for (let i = 0; i < F; i++) tr += s[i * F + i];
  const zero = new Array<number>(F).fill(0);
  const fd = frechetDistance(moments(zero, Array.from(s)), moments(zero, Array.from(s, (v) => c * v)));
  const exact = (Math.sqrt(c) - 1) ** 2 * tr;
  assert.ok(Math.abs(fd - exact) < 1e-9 * tr, `${fd} vs ${exact}`);
});

test('identical feature sets are at distance 0', () => {
  const F = 32;
  const rng = new Rng(5, 2);
  const x = Float32Array.from({ length: 300 * F }, () => rng.normal());
  const m = featureMoments(x, F);
  const fd = frechetDistance(m, m);
  assert.ok(fd < 1e-9, `FD of a set with itself is ${fd}`);
});

test('sample moments of two Gaussians converge to the closed-form distance of the Gaussians', () => {
  const F = 4;
  const n = 40000;
  const rng = new Rng(11, 4);
  // set 1 ~ N(0, I); set 2 ~ N(m, diag(4, 1, 0.25, 1))
  const sd2 = [2, 1, 0.5, 1];
  const m2 = [1, 0, -1, 0];
  const x1 = Float32Array.from({ length: n * F }, () => rng.normal());
  const x2 = Float32Array.from({ length: n * F }, (_, i) => m2[i % F] + sd2[i % F] * rng.normal());
  const fd = frechetDistance(featureMoments(x1, F), featureMoments(x2, F));
  const exact = 2 + sd2.reduce((acc, s) => acc + (s - 1) ** 2, 0);
  assert.ok(Math.abs(fd - exact) < 0.05, `${fd} vs ${exact}`);
});

test('featureMoments: the unbiased covariance of listed rows only', () => {
  const x = Float32Array.from([1, 2, 3, 4, 100, 100, 5, 0]);
  const m = featureMoments(x, 2, [0, 1, 3]);
  assert.deepEqual(Array.from(m.mean), [3, 2]);
  // deviations (-2, 0), (0, 2), (2, -2): cov = [[8, -4], [-4, 8]] / 2
  assert.deepEqual(Array.from(m.cov), [4, -2, -2, 4]);
});
