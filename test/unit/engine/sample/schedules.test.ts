import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearSchedule, trigSchedule } from '../../../../src-main/engine/sample/schedules.js';

for (const [name, s] of Object.entries({ linear: linearSchedule, trig: trigSchedule })) {
  test(`${name} schedule joins x0 at t=0 to x1 at t=1 and its derivatives match finite differences`, () => {
    assert.ok(Math.abs(s.a(0) - 1) < 1e-15 && Math.abs(s.b(0)) < 1e-15);
    assert.ok(Math.abs(s.a(1)) < 1e-15 && Math.abs(s.b(1) - 1) < 1e-15);
    const h = 1e-6;
    for (const t of [0.1, 0.37, 0.5, 0.9]) {
      assert.ok(Math.abs((s.a(t + h) - s.a(t - h)) / (2 * h) - s.da(t)) < 1e-8);
      assert.ok(Math.abs((s.b(t + h) - s.b(t - h)) / (2 * h) - s.db(t)) < 1e-8);
    }
  });
}

test('the trigonometric schedule is variance preserving: a^2 + b^2 = 1', () => {
  for (const t of [0, 0.2, 0.5, 0.77, 1]) assert.ok(Math.abs(trigSchedule.a(t) ** 2 + trigSchedule.b(t) ** 2 - 1) < 1e-15);
});
