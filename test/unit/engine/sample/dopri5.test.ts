import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorNorm, integrateDopri5 } from '../../../../src-main/engine/sample/dopri5.js';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { linear, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { SolverBudgetError, SolverStepSizeError } from '../../../../src-main/engine/sample/solverErrors.js';
import { countCalls } from '../../../../src-main/engine/sample/velocityCall.js';
import { UserError } from '../../../../src-main/errors.js';
import { empiricalMoments, gaussianProblem, maxAbsDiff, normalPoints, whiten } from './gaussianFixture.js';

const SCHEDULES = { linear, trig };
const TIGHT = { rtol: 1e-6, atol: 1e-8 };

describe('Dormand-Prince 5(4) transports N(0, I) onto N(m, S) with the exact Gaussian field', () => {
  for (const [scheduleName, schedule] of Object.entries(SCHEDULES)) {
    for (const d of [2, 10]) {
      test(`a sample with moments exactly (0, I) lands on moments (m, S) to 1e-4 (d=${d}, ${scheduleName})`, async () => {
        const n = 1000;
        const { m, S, field } = gaussianProblem(d, 21 + d, schedule);
        const x0 = whiten(normalPoints(n, d, 5), n, d);
        const { x } = await integrateDopri5(field, x0, n, d, { t0: 0, t1: 1, ...TIGHT });
        const { mean, cov } = empiricalMoments(x, n, d);
        assert.ok(maxAbsDiff(mean, m) < 1e-4, `mean off by ${maxAbsDiff(mean, m)}`);
        assert.ok(maxAbsDiff(cov, S) < 1e-4, `covariance off by ${maxAbsDiff(cov, S)}`);
      });

      test(`the endpoint matches RK4 with 2000 steps to 1e-4 and the exact flow map to 1e-5 (d=${d}, ${scheduleName})`, async () => {
        const n = 32;
        const { field } = gaussianProblem(d, 31 + d, schedule);
        const x0 = normalPoints(n, d, 6);
        const adaptive = await integrateDopri5(field, x0, n, d, { t0: 0, t1: 1, ...TIGHT });
        const reference = await integrateFixed(field, x0, n, d, { t0: 0, t1: 1, steps: 2000, method: 'rk4' });
        assert.ok(maxAbsDiff(adaptive.x, reference.x) < 1e-4);
        assert.ok(maxAbsDiff(adaptive.x, field.flowMap(x0, n, 0, 1)) < 1e-5);
        assert.ok(adaptive.nfe < reference.nfe / 10, `dopri5 used ${adaptive.nfe} evaluations`);
      });
    }
  }
});

describe('integrateDopri5', () => {
  test('integrates backward (encoding) to the exact codes', async () => {
    const d = 10;
    const n = 32;
    const { field } = gaussianProblem(d, 3, trig);
    const x1 = normalPoints(n, d, 7);
    const { x } = await integrateDopri5(field, x1, n, d, { t0: 1, t1: 0, ...TIGHT });
    assert.ok(maxAbsDiff(x, field.flowMap(x1, n, 1, 0)) < 1e-5);
  });

  test('decode(encode(x)) returns x to 1e-5 (cycle consistency)', async () => {
    for (const d of [2, 10]) {
      const n = 64;
      const { m, field } = gaussianProblem(d, 4, linear);
      const x1 = normalPoints(n, d, 8).map((v, i) => v + m[i % d]);
      const encoded = await integrateDopri5(field, x1, n, d, { t0: 1, t1: 0, ...TIGHT });
      const decoded = await integrateDopri5(field, encoded.x, n, d, { t0: 0, t1: 1, ...TIGHT });
      assert.ok(maxAbsDiff(decoded.x, x1) < 1e-5, `cycle error ${maxAbsDiff(decoded.x, x1)} in d=${d}`);
    }
  });

  test('a tighter tolerance gives a smaller error for more evaluations', async () => {
    const d = 10;
    const n = 16;
    const { field } = gaussianProblem(d, 12, linear);
    const x0 = normalPoints(n, d, 9);
    const exact = field.flowMap(x0, n, 0, 1);
    const loose = await integrateDopri5(field, x0, n, d, { t0: 0, t1: 1, rtol: 1e-3, atol: 1e-5 });
    const tight = await integrateDopri5(field, x0, n, d, { t0: 0, t1: 1, rtol: 1e-8, atol: 1e-10 });
    assert.ok(maxAbsDiff(tight.x, exact) < maxAbsDiff(loose.x, exact) / 100);
    assert.ok(tight.nfe > loose.nfe);
  });

  test('counts evaluations: 2 to start (one for the initial step) plus 6 per attempted step', async () => {
    const d = 2;
    const { field } = gaussianProblem(d, 2, trig);
    const x0 = normalPoints(8, d, 1);
    const counted = countCalls(field);
    const r = await integrateDopri5(counted.fn, x0, 8, d, { t0: 0, t1: 1, rtol: 1e-7, atol: 1e-9 });
    assert.equal(r.steps, r.accepted + r.rejected);
    assert.equal(r.nfe, 2 + 6 * r.steps);
    assert.equal(r.nfe, counted.calls());
    const given = await integrateDopri5(field, x0, 8, d, { t0: 0, t1: 1, rtol: 1e-7, atol: 1e-9, h0: 0.05 });
    assert.equal(given.nfe, 1 + 6 * given.steps);
  });

  test('a first step far too large is rejected and the solve still reaches the exact answer', async () => {
    const d = 2;
    const { field } = gaussianProblem(d, 2, linear);
    const x0 = normalPoints(8, d, 1);
    const r = await integrateDopri5(field, x0, 8, d, { t0: 0, t1: 1, rtol: 1e-9, atol: 1e-11, h0: 1 });
    assert.ok(r.rejected >= 1);
    assert.ok(maxAbsDiff(r.x, field.flowMap(x0, 8, 0, 1)) < 1e-7);
  });

  test('dense-output snapshots follow the exact flow at evenly spaced times', async () => {
    const d = 10;
    const n = 16;
    const { field } = gaussianProblem(d, 13, trig);
    const x1 = normalPoints(n, d, 2);
    const r = await integrateDopri5(field, x1, n, d, { t0: 1, t1: 0, ...TIGHT, snapshots: 11 });
    assert.ok(r.snapshots);
    assert.equal(r.snapshots.t.length, 11);
    assert.equal(r.snapshots.t[0], 1);
    assert.equal(r.snapshots.t[10], 0);
    assert.deepEqual(r.snapshots.xs[10], r.x);
    const plain = await integrateDopri5(field, x1, n, d, { t0: 1, t1: 0, ...TIGHT });
    assert.equal(r.nfe, plain.nfe, 'snapshots come from interpolation, not from extra steps');
    assert.deepEqual(r.x, plain.x);
    for (let j = 0; j < 11; j++) {
      const err = maxAbsDiff(r.snapshots.xs[j], field.flowMap(x1, n, 1, r.snapshots.t[j]));
      assert.ok(err < 1e-5, `snapshot at t=${r.snapshots.t[j]} off by ${err}`);
    }
  });

  test('throws SolverBudgetError carrying the time reached when maxSteps is too small', async () => {
    const d = 2;
    const { field } = gaussianProblem(d, 2, linear);
    const x0 = normalPoints(8, d, 1);
    for (const [t0, t1] of [[0, 1], [1, 0]]) {
      await assert.rejects(integrateDopri5(field, x0, 8, d, { t0, t1, rtol: 1e-10, atol: 1e-12, maxSteps: 3 }), (e: unknown) => {
        assert.ok(e instanceof SolverBudgetError);
        assert.ok(e.tReached !== t0 && e.tReached !== t1 && (e.tReached - t0) * (t1 - t0) > 0, `tReached=${e.tReached}`);
        assert.match(e.message, /maxSteps=3/);
        assert.ok(e.message.includes(`t=${e.tReached}`));
        return true;
      });
    }
  });

  test('a field that turns non-finite stops with SolverStepSizeError at that time, not a silent result', async () => {
    const broken = async (t: number, x: Float32Array | Float64Array) => new Float64Array(x.length).fill(t > 0.5 ? Number.NaN : 1);
    await assert.rejects(integrateDopri5(broken, new Float64Array(4), 2, 2, { t0: 0, t1: 1 }), (e: unknown) => {
      assert.ok(e instanceof SolverStepSizeError);
      assert.ok(e.tReached <= 0.5 && e.tReached > 0.49, `tReached=${e.tReached}`);
      return true;
    });
  });

  test('t0 = t1 returns the start without evaluating the field', async () => {
    const x0 = new Float64Array([1, 2, 3, 4]);
    const never = async (): Promise<Float64Array> => {
      throw new Error('must not be called');
    };
    const r = await integrateDopri5(never, x0, 2, 2, { t0: 0.3, t1: 0.3 });
    assert.deepEqual(r.x, x0);
    assert.equal(r.nfe, 0);
  });

  test('bad tolerances and budgets are refused with a UserError', async () => {
    const { field } = gaussianProblem(2, 2, linear);
    const x0 = normalPoints(2, 2, 1);
    await assert.rejects(integrateDopri5(field, x0, 2, 2, { t0: 0, t1: 1, rtol: -1 }), UserError);
    await assert.rejects(integrateDopri5(field, x0, 2, 2, { t0: 0, t1: 1, rtol: 0, atol: 0 }), UserError);
    await assert.rejects(integrateDopri5(field, x0, 2, 2, { t0: 0, t1: 1, maxSteps: 0 }), UserError);
    await assert.rejects(integrateDopri5(field, x0, 2, 2, { t0: 0, t1: 1, h0: 0 }), UserError);
  });

  test('the error norm is the RMS of err / (atol + rtol max(|y|, |y_new|)) over every entry', () => {
    const e = [0.1, -0.2];
    const y = [1, -3];
    const yNew = [2, 1];
    const expected = Math.sqrt(((0.1 / (0.01 + 0.1 * 2)) ** 2 + (0.2 / (0.01 + 0.1 * 3)) ** 2) / 2);
    assert.ok(Math.abs(errorNorm(e, y, yNew, 0.1, 0.01) - expected) < 1e-15);
  });
});
