import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { logLikelihood, reversedInTime, standardNormalLogDensity } from '../../../../src-main/engine/sample/likelihood.js';
import { integrateDopri5 } from '../../../../src-main/engine/sample/dopri5.js';
import { gaussianLogDensity } from '../../../../src-main/engine/sample/gaussianClosedForm.js';
import { meanStdErr as meanAndStdErr } from '../../../../src-main/engine/metrics/meanStdErr.js';
import { coefficientsAt, linear, trig, vp } from '../../../../src-main/engine/interpolants/schedules.js';
import { symmetricEigen } from '../../../../src-main/engine/sample/symmetricEigen.js';
import type { VelocityDivFn } from '../../../../src-main/engine/sample/types.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';

const SCHEDULES = { linear, trig };

/** Points of N(m, S) (exact transport of normal draws) plus a few far in the tails. */
function testPoints(field: ReturnType<typeof gaussianProblem>['field'], n: number, d: number): Float64Array {
  const z = normalPoints(n, d, 11);
  for (let i = 0; i < 5 * d; i++) z[i] *= 3;
  return field.flowMap(z, n, 0, 1);
}

describe('log-likelihood by the instantaneous change of variables', () => {
  for (const [name, schedule] of Object.entries(SCHEDULES)) {
    for (const d of [2, 10]) {
      test(`equals the analytic log-density of N(m, S) to 1e-3 nats per point with dopri5 (d=${d}, ${name})`, async () => {
        const n = 100;
        const { S, field } = gaussianProblem(d, 40 + d, schedule);
        const x1 = testPoints(field, n, d);
        const r = await logLikelihood(field.withDivergence, x1, n, d, {
          solver: 'dopri5',
          rtol: 1e-6,
          atol: 1e-8,
          baseLogDensity: standardNormalLogDensity,
        });
        const exact = field.logDensity(x1, n);
        const worst = maxAbsDiff(r.logLikelihood, exact);
        assert.ok(worst < 1e-3, `worst point off by ${worst} nats`);
        assert.ok(maxAbsDiff(r.x0, field.flowMap(x1, n, 1, 0)) < 1e-5, 'codes are the backward flow');
        // integral_0^1 tr C dt = ln det Sigma_1^(1/2) - ln det Sigma_0^(1/2) = ln det S / 2, for every point.
        const halfLogDetS = 0.5 * symmetricEigen(S, d).values.reduce((acc, l) => acc + Math.log(l), 0);
        assert.ok(maxAbsDiff(r.divIntegral, new Float64Array(n).fill(halfLogDetS)) < 1e-5);
      });
    }
  }

  test('a fixed-step RK4 solve agrees with the analytic density too', async () => {
    const d = 10;
    const n = 50;
    const { field } = gaussianProblem(d, 3, trig);
    const x1 = testPoints(field, n, d);
    const r = await logLikelihood(field.withDivergence, x1, n, d, { solver: 'rk4', steps: 100, baseLogDensity: standardNormalLogDensity });
    assert.ok(maxAbsDiff(r.logLikelihood, field.logDensity(x1, n)) < 1e-5);
    assert.equal(r.nfe, 400);
  });

  test('reports the mean NLL, its standard error and bits per dimension = NLL / (d ln 2)', async () => {
    const d = 2;
    const n = 40;
    const { field } = gaussianProblem(d, 5, linear);
    const x1 = testPoints(field, n, d);
    const r = await logLikelihood(field.withDivergence, x1, n, d, { solver: 'dopri5', baseLogDensity: standardNormalLogDensity });
    const { mean, stdErr } = meanAndStdErr(r.logLikelihood.map((l) => -l));
    assert.equal(r.nll, mean);
    assert.equal(r.nllStdErr, stdErr);
    assert.ok(stdErr > 0);
    assert.equal(r.bitsPerDim, mean / (d * Math.LN2));
    assert.ok(r.nfe > 0);
  });

  test('the adaptive error control watches the log-det component, not only x', async () => {
    // v = 0 leaves x still; only div v = 20 cos(20 t) varies, and integral_0^1 of it is sin(20).
    const fdiv: VelocityDivFn = async (t, x, n) => ({ v: new Float64Array(x.length), div: new Float64Array(n).fill(20 * Math.cos(20 * t)) });
    const x1 = new Float64Array([0.5, -1, 2, 0]);
    const r = await logLikelihood(fdiv, x1, 2, 2, { solver: 'dopri5', rtol: 1e-8, atol: 1e-10, baseLogDensity: standardNormalLogDensity });
    const expected = standardNormalLogDensity(x1, 2, 2).map((l) => l - Math.sin(20));
    assert.ok(maxAbsDiff(r.logLikelihood, expected) < 1e-6);
  });

  test('a fixed-step solver without steps is refused with a UserError', async () => {
    const { field } = gaussianProblem(2, 5, linear);
    await assert.rejects(
      logLikelihood(field.withDivergence, new Float64Array(4), 2, 2, { solver: 'heun', baseLogDensity: standardNormalLogDensity }),
      (e: unknown) => e instanceof UserError && /pass steps/.test(e.message),
    );
  });
});

test('the standard normal log-density is -(d ln 2pi + |x|^2) / 2', () => {
  const got = standardNormalLogDensity([0, 0, 0, 1, 2, 2], 2, 3);
  assert.ok(Math.abs(got[0] + 1.5 * Math.log(2 * Math.PI)) < 1e-15);
  assert.ok(Math.abs(got[1] + 0.5 * (3 * Math.log(2 * Math.PI) + 9)) < 1e-14);
});

describe('VP ends at tMax, where sampling ends', () => {
  test('log rho_T at T = tMax is finite and equals the exact Gaussian log-density N(b m, a^2 I + b^2 S)', async () => {
    const d = 3;
    const n = 40;
    const T = vp.tMax;
    const { m, S, field } = gaussianProblem(d, 5, vp);
    const x = field.flowMap(normalPoints(n, d, 4), n, 0, T);
    const r = await logLikelihood(field.withDivergence, x, n, d, { solver: 'dopri5', rtol: 1e-8, atol: 1e-8, at: T, baseLogDensity: standardNormalLogDensity });
    const { a, b } = coefficientsAt(vp, T);
    const cov = S.map((s, i) => b * b * s + (i % (d + 1) === 0 ? a * a : 0));
    const exact = gaussianLogDensity(m.map((v) => b * v), cov, x, n);
    assert.ok(maxAbsDiff(r.logLikelihood, exact) < 1e-4, `${maxAbsDiff(r.logLikelihood, exact)}`);
  });

  test("the VP field is singular at t = 1, which is why the solve must start at tMax", async () => {
    const { field } = gaussianProblem(2, 5, vp);
    const v = await field(1, normalPoints(3, 2, 1), 3, 2);
    assert.ok(!v.every(Number.isFinite));
  });

  test('the time-reversed field on [0, tMax] is finite at s = 0 and runs the flow forward from 0 to tMax', async () => {
    const d = 2;
    const n = 8;
    const T = vp.tMax;
    const { field } = gaussianProblem(d, 5, vp);
    const reversed = reversedInTime(field.withDivergence, T);
    const x0 = normalPoints(n, d, 2);
    const first = await reversed(0, x0, n, d);
    assert.ok(first.v.every(Number.isFinite) && first.div.every(Number.isFinite));
    const u = async (s: number, x: Float32Array | Float64Array) => (await reversed(s, x, n, d)).v;
    const { x } = await integrateDopri5(u, x0, n, d, { t0: T, t1: 0, rtol: 1e-9, atol: 1e-9 });
    assert.ok(maxAbsDiff(x, field.flowMap(x0, n, 0, T)) < 1e-5);
  });
});
