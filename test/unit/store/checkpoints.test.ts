import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Rng } from '../../../src-main/engine/random.js';
import type { CheckpointInit } from '../../../src-main/store/index.js';
import { runInit, tempStore } from './tempStore.js';

function checkpointAt(step: number, loss: number | null, size = 257): CheckpointInit {
  const rng = new Rng(3, 0, step);
  return {
    step,
    loss,
    params: rng.fillNormal(new Float32Array(size)) as Float32Array,
    ema: rng.fillNormal(new Float32Array(size)) as Float32Array,
    optimizer: {
      m: rng.fillNormal(new Float32Array(size)) as Float32Array,
      v: rng.fillUniform(new Float32Array(size)) as Float32Array,
    },
    rngState: { seed: 3, counter: step },
    extra: { adamStep: step, lr: 1e-3 },
  };
}

describe('checkpoints', () => {
  test('the latest checkpoint reads back exactly: arrays bit for bit, RNG state and extras', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    const saved = checkpointAt(500, 0.42);
    const info = store.saveCheckpoint(id, saved);
    assert.equal(info.paramCount, 257);
    const loaded = store.latestCheckpoint(id);
    assert.ok(loaded);
    assert.equal(loaded.step, 500);
    assert.equal(loaded.loss, 0.42);
    assert.deepEqual(loaded.params, saved.params);
    assert.deepEqual(loaded.ema, saved.ema);
    assert.deepEqual(loaded.optimizer, saved.optimizer);
    assert.deepEqual(loaded.rngState, { seed: 3, counter: 500 });
    assert.deepEqual(loaded.extra, { adamStep: 500, lr: 1e-3 });
    assert.deepEqual(store.getCheckpoint(info.id), loaded);
  });

  test('a checkpoint without EMA or optimizer state reads back with nulls', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    store.saveCheckpoint(id, { step: 1, params: new Float32Array([1, 2]), rngState: null });
    const loaded = store.latestCheckpoint(id);
    assert.equal(loaded?.ema, null);
    assert.equal(loaded?.optimizer, null);
    assert.equal(loaded?.loss, null);
  });

  test('state arrays of a different length than the parameters are rejected', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    const bad = { ...checkpointAt(1, 1), ema: new Float32Array(3) };
    assert.throws(() => store.saveCheckpoint(id, bad), /ema has 3 values, params have 257/);
    assert.equal(store.latestCheckpoint(id), null);
  });

  test('saving keeps only the latest and the best-loss checkpoint, plus those saved with keep', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    const steps = () => store.listCheckpoints(id).map((c) => c.step);
    store.saveCheckpoint(id, checkpointAt(100, 0.9));
    store.saveCheckpoint(id, checkpointAt(200, 0.3));
    store.saveCheckpoint(id, checkpointAt(300, 0.5));
    assert.deepEqual(steps(), [200, 300]);
    store.saveCheckpoint(id, checkpointAt(400, 0.6), { keep: true });
    assert.deepEqual(steps(), [200, 300, 400]);
    store.saveCheckpoint(id, checkpointAt(500, 0.1));
    assert.deepEqual(steps(), [400, 500]);
    store.saveCheckpoint(id, checkpointAt(600, null));
    assert.deepEqual(steps(), [400, 500, 600]);
    assert.equal(store.latestCheckpoint(id)?.step, 600);
    assert.equal(store.bestCheckpoint(id)?.step, 500);
    assert.deepEqual(store.listCheckpoints(id).map((c) => c.pinned), [true, false, false]);
  });

  test("retention never touches another run's checkpoints", () => {
    const { store } = tempStore();
    const a = store.createRun(runInit()).id;
    const b = store.createRun(runInit()).id;
    store.saveCheckpoint(a, checkpointAt(1, 0.5));
    store.saveCheckpoint(b, checkpointAt(1, 0.5));
    store.saveCheckpoint(b, checkpointAt(2, 0.7));
    store.saveCheckpoint(b, checkpointAt(3, 0.8));
    assert.deepEqual(store.listCheckpoints(a).map((c) => c.step), [1]);
    assert.deepEqual(store.listCheckpoints(b).map((c) => c.step), [1, 3]);
  });

  test('a run without checkpoints has no latest or best', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    assert.equal(store.latestCheckpoint(id), null);
    assert.equal(store.bestCheckpoint(id), null);
  });
});
