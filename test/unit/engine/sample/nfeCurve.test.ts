import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linear, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { nfeCurve, nfeToReach } from '../../../../src-main/engine/sample/nfeCurve.js';
import { gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';

test('the NFE curve on the exact Gaussian flow: errors fall with steps, rk4 beats Euler at equal NFE, and NFE-to-reach reads it off', async () => {
  const d = 2;
  const n = 64;
  const x0 = normalPoints(n, d, 1);
  for (const it of [trig, linear]) {
    const { field } = gaussianProblem(d, 2, it);
    const exact = field.flowMap(x0, n, 0, 1);
    const curve = await nfeCurve((method, steps) => integrateFixed(field, x0, n, d, { t0: 0, t1: 1, steps, method }), (x) => maxAbsDiff(x, exact));
    for (const method of ['euler', 'rk4']) {
      const values = curve.filter((p) => p.method === method).map((p) => p.value);
      for (let i = 1; i < values.length; i++) assert.ok(values[i] < values[i - 1], `${it.name} ${method}: ${values}`);
    }
    const at = (method: string, nfe: number) => curve.find((p) => p.method === method && p.nfe === nfe)!.value;
    assert.ok(at('rk4', 32) < at('euler', 32));
    assert.equal(nfeToReach(curve, at('rk4', 16)), 16);
    assert.equal(nfeToReach(curve, -1), Infinity);
  }
});
