/**
 * The encode / decode cycle against a closed form: on a Gaussian target the interpolant's exact
 * field has an exact flow map, so the code of a data point is known (the map from t = 1 to 0) and
 * the exact cycle returns every point. rk4 (the same tableau the fused programs run) encodes to
 * the exact code at order 4, and its cycle error falls at least 16x per halving of the step.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { linear, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';

const D = 6;
const N = 12;

describe('encode and decode on the exact Gaussian field', () => {
  for (const [name, schedule] of Object.entries({ linear, trig })) {
    test(`rk4 codes converge to the exact inverse flow map and the cycle error shrinks >= 16x per halving (${name})`, async () => {
      const { field } = gaussianProblem(D, 5, schedule);
      const data = field.flowMap(normalPoints(N, D, 9), N, 0, 1);
      const exactCode = field.flowMap(data, N, 1, 0);
      assert.ok(maxAbsDiff(field.flowMap(exactCode, N, 0, 1), data) < 1e-10, 'the exact cycle returns the data');
      const codeErr: number[] = [];
      const cycleErr: number[] = [];
      for (const steps of [8, 16, 32]) {
        const enc = await integrateFixed(field, data, N, D, { t0: 1, t1: 0, steps, method: 'rk4' });
        const dec = await integrateFixed(field, enc.x, N, D, { t0: 0, t1: 1, steps, method: 'rk4' });
        codeErr.push(maxAbsDiff(enc.x, exactCode));
        cycleErr.push(maxAbsDiff(dec.x, data));
      }
      for (let i = 1; i < 3; i++) {
        const codeOrder = Math.log2(codeErr[i - 1] / codeErr[i]);
        assert.ok(codeOrder > 3.5 && codeOrder < 4.6, `code error order ${codeOrder} (${codeErr.join(', ')})`);
        assert.ok(cycleErr[i - 1] / cycleErr[i] >= 16 * 0.9, `cycle errors ${cycleErr.join(', ')}`);
      }
    });
  }
});
