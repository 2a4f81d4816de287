import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnStats } from '../../../../src-main/engine/data/columnStats.js';

test('column stats give min, max, mean and population std of each column', () => {
  // columns: (1, 2, 3, 4) and (10, -10, 10, -10)
  const s = columnStats(Float32Array.of(1, 10, 2, -10, 3, 10, 4, -10), 4, 2);
  assert.deepEqual(s[0], { min: 1, max: 4, mean: 2.5, std: Math.sqrt(1.25) });
  assert.deepEqual(s[1], { min: -10, max: 10, mean: 0, std: 10 });
});

test('column stats stay accurate for a large offset (no catastrophic cancellation)', () => {
  const n = 10_000;
  const data = Float64Array.from({ length: n }, (_, i) => 1e8 + (i % 2 === 0 ? 1 : -1));
  const [s] = columnStats(data, n, 1);
  assert.equal(s.mean, 1e8);
  assert.ok(Math.abs(s.std - 1) < 1e-9, `std ${s.std}`);
});

test('column stats refuse a shape that does not match the data', () => {
  assert.throws(() => columnStats(new Float32Array(5), 2, 2), /not n x d/);
});
