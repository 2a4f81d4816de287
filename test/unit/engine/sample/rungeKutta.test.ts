import { SDE_METHODS } from '../../../../src-main/engine/sample/sde.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solverName } from '../../../../src-main/api/schemas.js';
import { linear } from '../../../../src-main/engine/interpolants/schedules.js';
import { DOPRI5 } from '../../../../src-main/engine/sample/dopri5Tableau.js';
import { hostRkStep } from '../../../../src-main/engine/sample/integrateFixed.js';
import { RK_METHODS, SOLVERS, type ButcherTableau } from '../../../../src-main/engine/sample/rungeKutta.js';
import { gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';

const TABLEAUX: Record<string, ButcherTableau> = { ...RK_METHODS, dopri5: DOPRI5 };

test('every tableau is consistent: sum_s b_s = 1 and each row of A sums to its node c_s', () => {
  for (const [name, tab] of Object.entries(TABLEAUX)) {
    assert.equal(tab.b.length, tab.c.length, name);
    assert.equal(tab.a.length, tab.c.length - 1, name);
    assert.ok(Math.abs(tab.b.reduce((s, w) => s + w, 0) - 1) < 1e-14, `${name}: sum b`);
    assert.equal(tab.c[0], 0, name);
    tab.a.forEach((row, i) => {
      assert.ok(row.length <= i + 1, `${name}: row ${i + 2} is explicit`);
      assert.ok(Math.abs(row.reduce((s, w) => s + w, 0) - tab.c[i + 1]) < 1e-14, `${name}: row ${i + 2} sums to c`);
    });
  }
});

test("the API schema's solver names are exactly the engine's solvers: its Runge-Kutta methods and its SDE samplers", () => {
  assert.deepEqual([...solverName.options].sort(), [...SOLVERS, ...SDE_METHODS].sort());
});

test("Dormand-Prince's tableau, stepped at fixed h by the shared Runge-Kutta step, has order 5", async () => {
  const d = 2;
  const n = 8;
  const { field } = gaussianProblem(d, 7, linear);
  const x0 = normalPoints(n, d, 3);
  const exact = field.flowMap(x0, n, 0, 1);
  const errors: number[] = [];
  for (const steps of [8, 16, 32]) {
    let x: Float64Array = Float64Array.from(x0);
    for (let k = 0; k < steps; k++) x = await hostRkStep(DOPRI5, field, k / steps, 1 / steps, x, n, d);
    errors.push(maxAbsDiff(x, exact));
  }
  for (let i = 1; i < errors.length; i++) {
    const slope = Math.log2(errors[i - 1] / errors[i]);
    assert.ok(slope > 4.6 && slope < 5.6, `measured order ${slope.toFixed(2)} (errors ${errors.join(', ')})`);
  }
});
