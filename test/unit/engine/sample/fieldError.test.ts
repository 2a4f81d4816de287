import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isotropicMixture } from '../../../../src-main/engine/data/gaussianMixture.js';
import { coefficientsAt, stochastic, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { fieldError, sampleComponents } from '../../../../src-main/engine/sample/fieldError.js';
import { isotropicComponents, mixtureField } from '../../../../src-main/engine/sample/mixtureField.js';
import type { VelocityFn } from '../../../../src-main/engine/sample/types.js';
import { empiricalMoments, randomGaussian } from './gaussianFixture.js';

const centers = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((k * Math.PI) / 4), 2 * Math.sin((k * Math.PI) / 4)]);
const { m: M, S } = randomGaussian(2, 8);
const components = [...isotropicComponents(isotropicMixture(centers, 0.3)), { weight: 2, mean: M, cov: S }];

test('the mixture sampler draws the mixture: its mean and covariance', () => {
  const n = 40_000;
  const x = sampleComponents(components, n, new Rng(1));
  // weights: the ring's 8 components 1/8 each (normalised), the Gaussian 2; total 3
  const mean = [0, 1].map((i) => (2 * M[i]) / 3); // the ring's centres sum to 0
  const second = [0, 1, 2, 3].map((ij) => {
    const [i, j] = [ij >> 1, ij & 1];
    const ring = centers.reduce((acc, c) => acc + c[i] * c[j], 0) / 8 + (i === j ? 0.09 : 0);
    return (ring + 2 * (S[ij] + M[i] * M[j])) / 3 - mean[i] * mean[j];
  });
  const emp = empiricalMoments(x, n, 2);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(emp.mean[i] - mean[i]) < 0.03, `mean ${i}`);
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(emp.cov[k] - second[k]) < 0.06, `cov ${k}: ${emp.cov[k]} vs ${second[k]}`);
});

test('the field error is 0 for the exact field, |delta|^2 for a shifted one, and lambda^2 E|x_t|^2 for v* + lambda x', async () => {
  for (const it of [trig, stochastic]) {
    const exact = mixtureField(components, it);
    const zero = await fieldError(exact.velocityFn, exact, components, it, { n: 256, seed: 3 });
    assert.equal(zero.value, 0);
    const delta = [0.3, -0.4];
    const shifted: VelocityFn = async (t, x, n) => exact.velocity(t, x, n).map((v, i) => v + delta[i % 2]);
    const s = await fieldError(shifted, exact, components, it, { n: 256, seed: 3 });
    assert.ok(Math.abs(s.value - 0.25) < 1e-12, `${s.value}`);
    // E|x_t|^2 = (a^2 + gamma^2) d + b^2 E|x1|^2, averaged over t ~ U(0, 1)
    const lambda = 0.2;
    const scaled: VelocityFn = async (t, x, n) => exact.velocity(t, x, n).map((v, i) => v + lambda * x[i]);
    const r = await fieldError(scaled, exact, components, it, { n: 32_000, seed: 4, times: 16 });
    const x1sq = (4 + 2 * 0.09 + 2 * (S[0] + S[3] + M[0] ** 2 + M[1] ** 2)) / 3;
    let expected = 0;
    const grid = 2000;
    for (let k = 0; k < grid; k++) {
      const { a, b, gamma = 0 } = coefficientsAt(it, (k + 0.5) / grid);
      expected += (lambda ** 2 * ((a * a + gamma * gamma) * 2 + b * b * x1sq)) / grid;
    }
    assert.ok(Math.abs(r.value - expected) < 4 * r.stdErr + 0.01 * expected, `${it.name}: ${r.value} +- ${r.stdErr} vs ${expected}`);
    assert.equal(r.nfe, 16);
  }
});
