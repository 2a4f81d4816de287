import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isotropicMixture } from '../../../../src-main/engine/data/gaussianMixture.js';
import { coefficientsAt, encdec, linear, stochastic, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { isotropicComponents, mixtureField } from '../../../../src-main/engine/sample/mixtureField.js';
import { gaussianLogDensity } from '../../../../src-main/engine/sample/gaussianClosedForm.js';
import { gaussianProblem, maxAbsDiff, normalPoints, randomGaussian } from './gaussianFixture.js';

/** Eight Gaussians on a circle of radius 2 (std 0.3), unequal weights, plus one anisotropic component. */
function testMixture(d = 2) {
  const centers = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((k * Math.PI) / 4), 2 * Math.sin((k * Math.PI) / 4)]);
  const ring = isotropicComponents(isotropicMixture(centers, 0.3, centers.map((_, k) => 1 + k / 4)));
  const { m, S } = randomGaussian(d, 8);
  return [...ring, { weight: 1.5, mean: m, cov: S }];
}

test('with one component the fields are the single-Gaussian closed form (velocity, and score by its density)', async () => {
  for (const it of [linear, trig, stochastic, encdec]) {
    const d = 3;
    const { m, S, field } = gaussianProblem(d, 4, it);
    const mix = mixtureField([{ weight: 1, mean: m, cov: S }], it);
    const x = normalPoints(10, d, 2);
    for (const t of [0.1, 0.35, 0.5, 0.8]) {
      assert.ok(maxAbsDiff(mix.velocity(t, x, 10), await field(t, x, 10, d)) < 1e-10, `${it.name} t=${t}`);
      const { a, b, gamma = 0 } = coefficientsAt(it, t);
      const cov = S.map((s, i) => b * b * s + (i % (d + 1) === 0 ? a * a + gamma * gamma : 0));
      assert.ok(maxAbsDiff(mix.logDensity(t, x, 10), gaussianLogDensity(m.map((v) => b * v), cov, x, 10)) < 1e-10);
    }
  }
});

test('the score is the gradient of log rho_t (central differences), for every interpolant', () => {
  const h = 1e-5;
  const n = 12;
  const x = normalPoints(n, 2, 3).map((v) => 2 * v);
  for (const it of [linear, trig, stochastic, encdec]) {
    const mix = mixtureField(testMixture(), it);
    for (const t of [0.2, 0.5, 0.7, 0.95]) {
      const s = mix.score(t, x, n);
      for (let j = 0; j < 2; j++) {
        const plus = Float64Array.from(x);
        const minus = Float64Array.from(x);
        for (let p = 0; p < n; p++) {
          plus[p * 2 + j] += h;
          minus[p * 2 + j] -= h;
        }
        const lp = mix.logDensity(t, plus, n);
        const lm = mix.logDensity(t, minus, n);
        for (let p = 0; p < n; p++) {
          const fd = (lp[p] - lm[p]) / (2 * h);
          assert.ok(Math.abs(s[p * 2 + j] - fd) < 1e-5 * Math.max(1, Math.abs(fd)), `${it.name} t=${t} point ${p}: ${s[p * 2 + j]} vs ${fd}`);
        }
      }
    }
  }
});

test('velocity and score satisfy the Gaussian-base identity s = -(b v - b\' x) / (a (b a\' - a b\')) (SCIENCE.md section 6)', () => {
  const n = 10;
  const x = normalPoints(n, 2, 5);
  for (const it of [linear, trig]) {
    const mix = mixtureField(testMixture(), it);
    for (const t of [0.15, 0.5, 0.85]) {
      const { a, b, da, db } = coefficientsAt(it, t);
      const v = mix.velocity(t, x, n);
      const s = mix.score(t, x, n);
      const viaV = v.map((vi, i) => -(b * vi - db * x[i]) / ((b * da - a * db) * a));
      assert.ok(maxAbsDiff(s, viaV) < 1e-9, `${it.name} t=${t}: ${maxAbsDiff(s, viaV)}`);
    }
  }
});
