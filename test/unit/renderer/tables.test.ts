import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { filterRuns, parseTags, sortRuns } from '../../../src-renderer/lib/runsTable.js';
import { configDiff, flatten } from '../../../src-renderer/lib/configDiff.js';
import { parseHash } from '../../../src-renderer/lib/route.js';
import { formatDuration, formatNumber } from '../../../src-renderer/lib/format.js';
import type { RunRecordWire } from '../../../src-main/api/schemas.js';

function run(id: string, over: Partial<RunRecordWire>): RunRecordWire {
  return {
    id, name: id, status: 'completed', config: {}, seed: 0, backend: 'cpu', appVersion: '0', onnxruntimeVersion: null,
    dataset: 'moons', interpolant: 'trig', createdAt: '2026-01-01T00:00:00Z', updatedAt: '', startedAt: null,
    finishedAt: null, durationS: 1, stepsDone: 10, lastLoss: 1, bestLoss: 1, failureReason: null, tags: [],
    notes: '', pid: null, host: null, ...over,
  };
}

describe('runs table', () => {
  const runs = [
    run('a', { bestLoss: 0.5, dataset: 'moons', tags: ['baseline'] }),
    run('b', { bestLoss: null, status: 'failed', dataset: 'checkerboard' }),
    run('c', { bestLoss: 0.2, dataset: 'moons', notes: 'Wide net' }),
  ];

  test('sorts numbers both ways with missing values last', () => {
    assert.deepEqual(sortRuns(runs, 'bestLoss', 'asc').map((r) => r.id), ['c', 'a', 'b']);
    assert.deepEqual(sortRuns(runs, 'bestLoss', 'desc').map((r) => r.id), ['a', 'c', 'b']);
  });

  test('filters by status, dataset and text in name, notes or tags', () => {
    assert.deepEqual(filterRuns(runs, { text: '', status: 'failed', dataset: '' }).map((r) => r.id), ['b']);
    assert.deepEqual(filterRuns(runs, { text: '', status: '', dataset: 'moons' }).map((r) => r.id), ['a', 'c']);
    assert.deepEqual(filterRuns(runs, { text: 'wide', status: '', dataset: '' }).map((r) => r.id), ['c']);
    assert.deepEqual(filterRuns(runs, { text: 'BASE', status: '', dataset: '' }).map((r) => r.id), ['a']);
  });

  test('tags typed with commas are trimmed and deduplicated', () => {
    assert.deepEqual(parseTags(' a, b ,, a,c '), ['a', 'b', 'c']);
  });
});

describe('config diff', () => {
  test('flattens nested configs to dotted keys', () => {
    assert.deepEqual(flatten({ net: { width: 64 }, lr: 1 }), { 'net.width': 64, lr: 1 });
  });

  test('marks exactly the settings that differ', () => {
    const rows = configDiff([{ net: { width: 64, depth: 3 } }, { net: { width: 128, depth: 3 }, name: 'x' }]);
    const differs = Object.fromEntries(rows.map((r) => [r.key, r.differs]));
    assert.deepEqual(differs, { name: true, 'net.depth': false, 'net.width': true });
  });
});

describe('routes and formatting', () => {
  test('hash routes name the page and its id', () => {
    assert.equal(parseHash('#/run/r-1').id, 'r-1');
    assert.equal(parseHash('#/compare?ids=a,b').params.get('ids'), 'a,b');
    assert.equal(parseHash('#/new?clone=r-2').page, 'new');
    assert.equal(parseHash('').page, 'runs');
    assert.equal(parseHash('#/nowhere').page, 'runs');
  });

  test('durations and numbers read well', () => {
    assert.equal(formatDuration(5), '5.0s');
    assert.equal(formatDuration(0.26), '0.3s');
    assert.equal(formatDuration(9.96), '10s');
    assert.equal(formatDuration(12.4), '12s');
    assert.equal(formatDuration(125), '2m 05s');
    assert.equal(formatDuration(3723), '1h 02m');
    assert.equal(formatDuration(null), '—');
    assert.equal(formatNumber(0.123456), '0.1235');
    assert.equal(formatNumber(1.5e-5), '1.500e-5');
    assert.equal(formatNumber(Number.NaN), '—');
  });
});
