import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gather, minMaxIndices } from '../../../src-renderer/lib/charts/downsample.js';
import { allPositive, emaSmooth } from '../../../src-renderer/lib/charts/smooth.js';
import { GrowableSeries } from '../../../src-renderer/lib/charts/growable.js';

describe('min-max downsampling', () => {
  test('keeps every point when the series is short', () => {
    const y = [3, 1, 4, 1, 5];
    assert.deepEqual([...minMaxIndices(y, y.length, 10)], [0, 1, 2, 3, 4]);
  });

  test('100k points become at most 2 per bucket and keep the global min and max', () => {
    const n = 100_000;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = Math.sin(i / 500) + 0.01 * ((i * 7919) % 13);
    y[12_345] = 50; // a spike
    y[67_890] = -50; // a dip
    const idx = minMaxIndices(y, n, 400);
    assert.ok(idx.length <= 800);
    const kept = gather(y, idx);
    assert.equal(Math.max(...kept), 50);
    assert.equal(Math.min(...kept), -50);
    for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1], 'indices stay in order');
  });

  test('every bucket keeps its own extremes (the envelope is exact at bucket resolution)', () => {
    const n = 1000;
    const y = Array.from({ length: n }, (_, i) => ((i * 37) % 101) - 50);
    const buckets = 10;
    const kept = new Set(minMaxIndices(y, n, buckets));
    for (let b = 0; b < buckets; b++) {
      const slice = y.slice(b * 100, (b + 1) * 100);
      const iMax = b * 100 + slice.indexOf(Math.max(...slice));
      const iMin = b * 100 + slice.indexOf(Math.min(...slice));
      assert.ok(kept.has(iMax) && kept.has(iMin), `bucket ${b}`);
    }
  });

  test('skips non-finite values (a diverged step)', () => {
    const y = [1, Number.NaN, 2, Number.POSITIVE_INFINITY, 0.5];
    assert.deepEqual([...minMaxIndices(y, y.length, 100)], [0, 2, 4]);
  });
});

describe('EMA smoothing', () => {
  test('a constant series stays constant from the first point (bias corrected)', () => {
    const s = emaSmooth([2, 2, 2, 2], 4, 0.9);
    for (const v of s) assert.ok(Math.abs(v - 2) < 1e-12);
  });

  test('matches the bias-corrected recurrence', () => {
    const y = [1, 3, 2];
    const w = 0.5;
    const m1 = 0.5 * 1, m2 = 0.5 * m1 + 0.5 * 3, m3 = 0.5 * m2 + 0.5 * 2;
    assert.deepEqual([...emaSmooth(y, 3, w)], [m1 / 0.5, m2 / 0.75, m3 / 0.875]);
  });

  test('weight 0 returns the series; NaN stays a gap and does not poison later values', () => {
    assert.deepEqual([...emaSmooth([1, 2, 3], 3, 0)], [1, 2, 3]);
    const s = emaSmooth([1, Number.NaN, 1], 3, 0.9);
    assert.ok(Number.isNaN(s[1]));
    assert.ok(Math.abs(s[2] - 1) < 1e-12);
  });

  test('rejects a weight outside [0, 1)', () => {
    assert.throws(() => emaSmooth([1], 1, 1), /weight/);
  });

  test('log scale is offered only for positive series', () => {
    assert.equal(allPositive([0.1, 2, Number.NaN], 3), true);
    assert.equal(allPositive([0.1, -2], 2), false);
    assert.equal(allPositive([0.1, 0], 2), false);
  });
});

describe('growable series', () => {
  test('appends past its capacity without losing points', () => {
    const s = new GrowableSeries();
    const steps = Array.from({ length: 5000 }, (_, i) => i);
    s.append(steps, steps.map((i) => i * 2));
    assert.equal(s.length, 5000);
    assert.equal(s.y[4999], 9998);
    assert.equal(s.last(), 9998);
  });

  test('a step reported again (resume from a checkpoint) replaces the tail', () => {
    const s = GrowableSeries.from([0, 1, 2, 3], [10, 11, 12, 13]);
    s.append([2, 3, 4], [22, 23, 24]);
    assert.deepEqual([...s.x.subarray(0, s.length)], [0, 1, 2, 3, 4]);
    assert.deepEqual([...s.y.subarray(0, s.length)], [10, 11, 22, 23, 24]);
  });

  test('null losses (non-finite on the wire) become NaN gaps', () => {
    const s = new GrowableSeries();
    s.append([0, 1], [1, null]);
    assert.ok(Number.isNaN(s.y[1]));
    assert.equal(s.last(), 1);
  });
});
