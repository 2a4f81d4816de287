import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, test } from 'node:test';
import { UserError } from '../../../src-main/errors.js';
import { VERSION } from '../../../src-main/version.js';
import { runInit, tempStore } from './tempStore.js';

const NO_RUN = (err: unknown) =>
  err instanceof UserError && err.message === 'no run with id r-nope; list runs with `flowlab runs`';

describe('runs', () => {
  test('a new run is queued, stamped with the app version, and reads back as created', () => {
    const { store } = tempStore();
    const init = runInit({ tags: [' moons ', 'baseline', 'moons', ''], notes: 'first try' });
    const run = store.createRun(init);
    assert.match(run.id, /^r-\d{8}-0001$/);
    assert.equal(run.id.slice(2, 10), run.createdAt.slice(0, 10).replaceAll('-', ''));
    assert.equal(run.status, 'queued');
    assert.equal(run.appVersion, VERSION);
    assert.deepEqual(run.config, init.config);
    assert.equal(run.seed, 7);
    assert.deepEqual(run.tags, ['moons', 'baseline']);
    assert.equal(run.notes, 'first try');
    assert.equal(run.stepsDone, 0);
    assert.equal(run.lastLoss, null);
    assert.equal(run.startedAt, null);
    assert.deepEqual(store.getRun(run.id), run);
  });

  test('ids count up within a day', () => {
    const { store } = tempStore();
    const ids = [1, 2, 3].map(() => store.createRun(runInit()).id);
    assert.deepEqual(ids.map((id) => id.slice(-4)), ['0001', '0002', '0003']);
  });

  test('an unknown id is a user error that says how to list runs', () => {
    const { store } = tempStore();
    assert.equal(store.findRun('r-nope'), null);
    assert.throws(() => store.getRun('r-nope'), NO_RUN);
    assert.throws(() => store.updateRun('r-nope', { name: 'x' }), NO_RUN);
    assert.throws(() => store.finishRun('r-nope', 'completed'), NO_RUN);
    assert.throws(() => store.appendMetrics('r-nope', [{ step: 0, name: 'loss', value: 1 }]), NO_RUN);
    assert.throws(() => store.deleteRun('r-nope'), NO_RUN);
  });

  test('updates change only the fields given', () => {
    const { store } = tempStore();
    const run = store.createRun(runInit());
    const updated = store.updateRun(run.id, { backend: 'cpu', onnxruntimeVersion: '1.30.0', name: 'renamed' });
    assert.equal(updated.backend, 'cpu');
    assert.equal(updated.onnxruntimeVersion, '1.30.0');
    assert.equal(updated.name, 'renamed');
    assert.deepEqual(updated.config, run.config);
    assert.deepEqual(store.setTags(run.id, ['a', 'b', 'a']).tags, ['a', 'b']);
    assert.equal(store.setNotes(run.id, 'diverged at lr 1e-2').notes, 'diverged at lr 1e-2');
  });

  test('progress keeps the latest loss and the lowest loss ever reported', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    store.recordProgress(id, 100, 0.9, 0.8);
    store.recordProgress(id, 200, 0.7);
    store.recordProgress(id, 300, 0.75, 0.72);
    const run = store.getRun(id);
    assert.equal(run.stepsDone, 300);
    assert.equal(run.lastLoss, 0.75);
    assert.equal(run.bestLoss, 0.7);
  });

  test('lifecycle: running records owner and start, finishing releases it and keeps the reason', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    const running = store.markRunning(id, process.pid);
    assert.equal(running.status, 'running');
    assert.equal(running.pid, process.pid);
    assert.equal(running.host, hostname());
    assert.ok(running.startedAt);
    assert.equal(store.markPaused(id).status, 'paused');
    const resumed = store.markRunning(id, process.pid);
    assert.equal(resumed.startedAt, running.startedAt);
    const failed = store.finishRun(id, 'failed', 'loss became NaN at step 812');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failureReason, 'loss became NaN at step 812');
    assert.equal(failed.pid, null);
    assert.ok(failed.finishedAt && failed.finishedAt >= (running.startedAt as string));
    assert.ok(failed.durationS >= 0);
    const requeued = store.markQueued(id);
    assert.equal(requeued.status, 'queued');
    assert.equal(requeued.failureReason, null);
    assert.equal(requeued.finishedAt, null);
  });

  test('listing filters by status, tag, text, dataset and pages newest first', () => {
    const { store } = tempStore();
    const a = store.createRun(runInit({ name: 'Moons baseline', tags: ['baseline'] }));
    const b = store.createRun(runInit({ name: 'checkerboard', dataset: 'checkerboard', tags: ['sweep'] }));
    const c = store.createRun(runInit({ name: 'moons trig', interpolant: 'trig', notes: 'try BASELINE lr' }));
    store.markRunning(b.id, process.pid);
    store.finishRun(b.id, 'completed');
    const ids = (filter?: Parameters<typeof store.listRuns>[0]) => store.listRuns(filter).map((r) => r.id);
    assert.deepEqual(ids(), [c.id, b.id, a.id]);
    assert.deepEqual(ids({ status: 'completed' }), [b.id]);
    assert.deepEqual(ids({ status: ['queued', 'completed'] }), [c.id, b.id, a.id]);
    assert.deepEqual(ids({ status: [] }), []);
    assert.deepEqual(ids({ tag: 'baseline' }), [a.id]);
    assert.deepEqual(ids({ text: 'baseline' }), [c.id, a.id]);
    assert.deepEqual(ids({ dataset: 'checkerboard' }), [b.id]);
    assert.deepEqual(ids({ interpolant: 'trig' }), [c.id]);
    assert.deepEqual(ids({ limit: 1, offset: 1 }), [b.id]);
  });

  test('a running run cannot be deleted until it is stopped', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    store.markRunning(id, process.pid);
    assert.throws(() => store.deleteRun(id), (err: unknown) =>
      err instanceof UserError && /is running; stop it/.test(err.message));
    store.finishRun(id, 'stopped');
    store.deleteRun(id);
    assert.equal(store.findRun(id), null);
  });
});
