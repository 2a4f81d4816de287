import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { interleave, mergeBest } from '../../../../bench/lib/passes.mjs';

const ok = (results: object[]) => ({ ok: true, value: { tool: 'x', results }, seconds: 1 });

describe('interleaved passes', () => {
  test('mergeBest keeps, for each key, the pass with the highest rate', () => {
    const merged = mergeBest(
      [ok([{ batch: 256, rate: 10 }, { batch: 1024, rate: 5 }]), { ok: false, reason: 'busy', seconds: 1 }, ok([{ batch: 256, rate: 8 }, { batch: 1024, rate: 7 }])],
      (x: { batch: number }) => x.batch,
      'rate',
    );
    assert.equal(merged.ok, true);
    assert.deepEqual(merged.value.results, [{ batch: 256, rate: 10 }, { batch: 1024, rate: 7 }]);
    assert.equal(merged.value.passes, 2);
    assert.equal(merged.value.tool, 'x');
  });

  test('mergeBest returns the first failure when every pass failed', () => {
    const first = { ok: false, reason: 'python3 not found', seconds: 0 };
    assert.equal(mergeBest([first, { ok: false, reason: 'other', seconds: 0 }], () => 0, 'rate'), first);
  });

  test('interleave reverses the order on every other pass (A B, B A, A B)', async () => {
    const order: string[] = [];
    const runs = await interleave(3, [async () => (order.push('A'), 1), async () => (order.push('B'), 2)]);
    assert.deepEqual(order, ['A', 'B', 'B', 'A', 'A', 'B']);
    assert.deepEqual(runs, [[1, 1, 1], [2, 2, 2]]);
  });
});
