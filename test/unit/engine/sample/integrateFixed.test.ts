import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { RK_METHODS, type FixedMethod } from '../../../../src-main/engine/sample/rungeKutta.js';
import { linear, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { SolverNonFiniteError } from '../../../../src-main/engine/sample/solverErrors.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';

const SCHEDULES = { linear, trig };
const POINTS = 16;

/**
 * Step counts in each method's asymptotic regime, and the band its measured order must fall in.
 * On the linear-schedule field midpoint's h^2 error term integrates to zero over [0, 1] (measured
 * slope 3.0, superconvergence), so its order is measured on the trigonometric field only.
 */
const ORDER_CASES: Record<FixedMethod, { counts: number[]; band: [number, number]; schedules?: string[] }> = {
  euler: { counts: [20, 40, 80, 160], band: [0.85, 1.2] },
  heun: { counts: [20, 40, 80, 160], band: [1.8, 2.3] },
  midpoint: { counts: [20, 40, 80, 160], band: [1.8, 2.3], schedules: ['trig'] },
  rk4: { counts: [20, 40, 80], band: [3.6, 4.5] },
};

describe('fixed-step solvers converge at their order on the exact Gaussian field', () => {
  for (const [scheduleName, schedule] of Object.entries(SCHEDULES)) {
    for (const d of [2, 10]) {
      for (const method of Object.keys(RK_METHODS) as FixedMethod[]) {
        const { counts, band, schedules } = ORDER_CASES[method];
        if (schedules && !schedules.includes(scheduleName)) continue;
        const order = RK_METHODS[method].order;
        test(`${method} error shrinks ${2 ** order}x when the step halves (d=${d}, ${scheduleName})`, async () => {
          const { field } = gaussianProblem(d, 7, schedule);
          const x0 = normalPoints(POINTS, d, 3);
          const exact = field.flowMap(x0, POINTS, 0, 1);
          const errors: number[] = [];
          for (const steps of counts) {
            const { x } = await integrateFixed(field, x0, POINTS, d, { t0: 0, t1: 1, steps, method });
            errors.push(maxAbsDiff(x, exact));
          }
          for (let i = 1; i < errors.length; i++) {
            const slope = Math.log2(errors[i - 1] / errors[i]);
            assert.ok(
              slope >= band[0] && slope <= band[1],
              `${method} steps ${counts[i - 1]} -> ${counts[i]}: measured order ${slope.toFixed(3)} outside [${band}]`,
            );
          }
        });
      }
    }
  }
});

describe('integrateFixed', () => {
  test('euler, heun, midpoint and rk4 use 1, 2, 2 and 4 velocity evaluations per step', async () => {
    const { field } = gaussianProblem(2, 5, linear);
    const x0 = normalPoints(4, 2, 1);
    for (const [method, perStep] of [['euler', 1], ['heun', 2], ['midpoint', 2], ['rk4', 4]] as const) {
      const { nfe } = await integrateFixed(field, x0, 4, 2, { t0: 0, t1: 1, steps: 7, method });
      assert.equal(nfe, 7 * perStep);
    }
  });

  test('integrating backward from t=1 (t1 < t0) recovers the exact codes', async () => {
    const d = 10;
    const { field } = gaussianProblem(d, 9, trig);
    const x1 = normalPoints(POINTS, d, 4);
    const { x } = await integrateFixed(field, x1, POINTS, d, { t0: 1, t1: 0, steps: 100, method: 'rk4' });
    assert.ok(maxAbsDiff(x, field.flowMap(x1, POINTS, 1, 0)) < 1e-6);
  });

  test('does not modify x0 and returns a Float64Array', async () => {
    const { field } = gaussianProblem(2, 5, linear);
    const x0 = normalPoints(3, 2, 1);
    const copy = Float64Array.from(x0);
    const { x } = await integrateFixed(field, x0, 3, 2, { t0: 0, t1: 1, steps: 4, method: 'heun' });
    assert.deepEqual(x0, copy);
    assert.ok(x instanceof Float64Array);
  });

  test('snapshots record evenly spaced states with the start and the end', async () => {
    const d = 2;
    const { field } = gaussianProblem(d, 5, trig);
    const x0 = normalPoints(8, d, 2);
    const r = await integrateFixed(field, x0, 8, d, { t0: 0, t1: 1, steps: 40, method: 'rk4', snapshots: 5 });
    assert.ok(r.snapshots);
    assert.deepEqual(r.snapshots.t, [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(r.snapshots.xs[0], x0);
    assert.deepEqual(r.snapshots.xs[4], r.x);
    for (let j = 1; j < 4; j++) {
      assert.ok(maxAbsDiff(r.snapshots.xs[j], field.flowMap(x0, 8, 0, r.snapshots.t[j])) < 1e-6);
    }
  });

  test('accepts a velocity that answers in float32, as an ONNX session does', async () => {
    const d = 10;
    const { field } = gaussianProblem(d, 5, linear);
    const f32 = async (t: number, x: Float32Array | Float64Array, n: number, dd: number) =>
      Float32Array.from(await field(t, x, n, dd));
    const x0 = normalPoints(8, d, 2);
    const a = await integrateFixed(field, x0, 8, d, { t0: 0, t1: 1, steps: 20, method: 'rk4' });
    const b = await integrateFixed(f32, x0, 8, d, { t0: 0, t1: 1, steps: 20, method: 'rk4' });
    assert.ok(maxAbsDiff(a.x, b.x) < 1e-5);
    assert.ok(maxAbsDiff(a.x, b.x) > 0, 'float32 rounding should be visible');
  });

  test('a field that turns non-finite stops with SolverNonFiniteError naming the time', async () => {
    const blowUp = async (t: number, x: Float32Array | Float64Array) => new Float64Array(x.length).fill(t > 0.5 ? Number.NaN : 1);
    await assert.rejects(
      integrateFixed(blowUp, new Float64Array(4), 2, 2, { t0: 0, t1: 1, steps: 10, method: 'euler' }),
      (e: unknown) => e instanceof SolverNonFiniteError && Math.abs(e.tReached - 0.7) < 1e-12 && /t=0\.7/.test(e.message),
    );
  });

  test('bad options and shapes are refused with a clear error', async () => {
    const { field } = gaussianProblem(2, 5, linear);
    const x0 = normalPoints(3, 2, 1);
    await assert.rejects(integrateFixed(field, x0, 3, 2, { t0: 0, t1: 1, steps: 0, method: 'rk4' }), UserError);
    await assert.rejects(
      integrateFixed(field, x0, 3, 2, { t0: 0, t1: 1, steps: 5, method: 'rk3' as FixedMethod }),
      /unknown fixed-step method 'rk3'/,
    );
    await assert.rejects(integrateFixed(field, x0, 2, 2, { t0: 0, t1: 1, steps: 5, method: 'rk4' }), /expected n\*d = 4/);
    const wrongLength = async () => new Float64Array(1);
    await assert.rejects(integrateFixed(wrongLength, x0, 3, 2, { t0: 0, t1: 1, steps: 5, method: 'euler' }), /returned 1 values/);
  });
});
