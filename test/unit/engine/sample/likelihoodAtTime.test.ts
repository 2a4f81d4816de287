import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coefficientsAt, stochastic, trig, vp } from '../../../../src-main/engine/interpolants/schedules.js';
import { gaussianLogDensity } from '../../../../src-main/engine/sample/gaussianClosedForm.js';
import { logLikelihood, standardNormalLogDensity } from '../../../../src-main/engine/sample/likelihood.js';
import { logLikelihoodAtTime, pushAlongPath } from '../../../../src-main/engine/sample/likelihoodAtTime.js';
import { empiricalMoments, gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';

const D = 2;

/** rho_T = N(b m, (a^2 + gamma^2) I + b^2 S) of the Gaussian interpolant. */
function marginal(it: typeof trig, m: Float64Array, S: Float64Array, T: number) {
  const { a, b, gamma = 0 } = coefficientsAt(it, T);
  return { mean: m.map((v) => b * v), cov: S.map((s, i) => b * b * s + (i % (D + 1) === 0 ? a * a + gamma * gamma : 0)) };
}

test('acceptance: log rho_0.5 from the exact Gaussian flow is the analytic N(b m, (a^2 + gamma^2) I + b^2 S) log-density to 1e-3 nats', async (t) => {
  for (const it of [trig, stochastic, vp]) {
    const { m, S, field } = gaussianProblem(D, 5, it);
    const n = 200;
    const x1 = normalPoints(n, D, 3).map((v, i) => m[i % D] + v);
    const r = await logLikelihoodAtTime(field.withDivergence, it, x1, n, D, { at: 0.5, seed: 2, solver: 'dopri5', rtol: 1e-7, atol: 1e-7, baseLogDensity: standardNormalLogDensity });
    const { mean, cov } = marginal(it, m, S, 0.5);
    const exact = gaussianLogDensity(mean, cov, r.xT, n);
    const err = maxAbsDiff(r.logLikelihood, exact);
    t.diagnostic(`${it.name}: max |log rho_0.5 - analytic| = ${err.toExponential(2)} nats (${r.nfe} NFE)`);
    assert.ok(err < 1e-3, `${it.name}: ${err}`);
  }
});

test('points pushed to time T are draws of rho_T: their moments, and their mean NLL is the entropy of rho_T', async () => {
  const it = stochastic;
  const { m, S, field } = gaussianProblem(D, 6, it);
  const n = 20_000;
  const x1 = normalPoints(n, D, 8);
  // x1 ~ N(m, S) from standard normals through S's Cholesky factor
  const L = [Math.sqrt(S[0]), 0, S[2] / Math.sqrt(S[0]), Math.sqrt(S[3] - (S[2] * S[2]) / S[0])];
  const data = new Float64Array(n * D);
  for (let p = 0; p < n; p++) {
    data[p * 2] = m[0] + L[0] * x1[p * 2];
    data[p * 2 + 1] = m[1] + L[2] * x1[p * 2] + L[3] * x1[p * 2 + 1];
  }
  const T = 0.4;
  const xT = pushAlongPath(it, data, n, D, T, 4);
  const { mean, cov } = marginal(it, m, S, T);
  const emp = empiricalMoments(xT, n, D);
  assert.ok(maxAbsDiff(emp.mean, mean) < 0.04 && maxAbsDiff(emp.cov, cov) < 0.08, `moments ${maxAbsDiff(emp.mean, mean)} ${maxAbsDiff(emp.cov, cov)}`);
  const r = await logLikelihood(field.withDivergence, xT.subarray(0, 2000 * D), 2000, D, { at: T, solver: 'rk4', steps: 20, baseLogDensity: standardNormalLogDensity });
  const det = cov[0] * cov[3] - cov[1] * cov[2];
  const entropy = 0.5 * (D * (1 + Math.log(2 * Math.PI)) + Math.log(det));
  assert.ok(Math.abs(r.nll - entropy) < 4 * r.nllStdErr, `NLL ${r.nll} +- ${r.nllStdErr} vs entropy ${entropy}`);
});

test('a time beyond the interpolant\'s tMax is refused', () => {
  assert.throws(() => pushAlongPath(vp, new Float64Array(2), 1, 2, 1, 0), /must lie in \[0, 0\.9999\]/);
});
