import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MetricRow } from '../../../src-main/store/index.js';
import { runInit, tempStore } from './tempStore.js';

describe('metrics', () => {
  test('a large batch lands in one transaction and reads back in step order per name', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    const count = 50_000;
    const rows: MetricRow[] = [];
    // Written out of order and interleaved with a second metric.
    for (let i = count - 1; i >= 0; i--) {
      rows.push({ step: i, name: 'loss', value: 1 / (i + 1) });
      if (i % 100 === 0) rows.push({ step: i, name: 'grad_norm', value: i * 0.5 });
    }
    store.appendMetrics(id, rows);
    const loss = store.metricsSeries(id, 'loss');
    assert.ok(loss.steps instanceof Float64Array && loss.values instanceof Float64Array);
    assert.equal(loss.steps.length, count);
    for (let i = 0; i < count; i++) {
      assert.equal(loss.steps[i], i);
      assert.equal(loss.values[i], 1 / (i + 1));
    }
    const grad = store.metricsSeries(id, 'grad_norm');
    assert.deepEqual([...grad.steps.subarray(0, 3)], [0, 100, 200]);
    assert.deepEqual([...grad.values.subarray(0, 3)], [0, 50, 100]);
    assert.deepEqual(store.metricNames(id), ['grad_norm', 'loss']);
  });

  test('a batch with a bad row writes nothing', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    const rows = [
      { step: 0, name: 'loss', value: 1 },
      { step: 1, name: null as unknown as string, value: 2 },
    ];
    assert.throws(() => store.appendMetrics(id, rows));
    assert.equal(store.metricsSeries(id, 'loss').steps.length, 0);
  });

  test('a chunk of consecutive steps is stored step by step, and rewriting a step replaces it', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    store.appendMetricRun(id, 'loss', 10, new Float32Array([0.5, 0.25, 0.125]));
    store.appendMetricRun(id, 'loss', 11, [0.3]);
    const series = store.metricsSeries(id, 'loss');
    assert.deepEqual([...series.steps], [10, 11, 12]);
    assert.deepEqual([...series.values], [0.5, 0.3, 0.125]);
  });

  test('only steps after a given one come back for live updates', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    store.appendMetricRun(id, 'loss', 0, [4, 3, 2, 1]);
    assert.deepEqual([...store.metricsSeries(id, 'loss', 1).steps], [2, 3]);
  });

  test('non-finite values read back as NaN, not 0', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    store.appendMetrics(id, [{ step: 0, name: 'loss', value: Number.NaN }, { step: 1, name: 'loss', value: 2 }]);
    const { values } = store.metricsSeries(id, 'loss');
    assert.ok(Number.isNaN(values[0]));
    assert.equal(values[1], 2);
  });

  test('summary gives count, minimum and last value', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    store.appendMetricRun(id, 'loss', 0, [3, 1, 2]);
    assert.deepEqual(store.metricSummary(id, 'loss'), { count: 3, min: 1, last: 2, lastStep: 2 });
    const empty = store.metricSummary(id, 'nothing');
    assert.equal(empty.count, 0);
    assert.ok(Number.isNaN(empty.min) && Number.isNaN(empty.last));
  });
});
