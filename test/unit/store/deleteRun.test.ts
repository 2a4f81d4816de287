import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInit, tempStore } from './tempStore.js';

const CHILD_TABLES = ['metrics', 'checkpoints', 'samples', 'evaluations', 'artifacts'];

test('deleting a run deletes its metrics, checkpoints, samples, evaluations and artifacts, and nothing else', () => {
  const { store } = tempStore();
  const ids = [store.createRun(runInit()).id, store.createRun(runInit()).id];
  for (const id of ids) {
    store.appendMetricRun(id, 'loss', 0, [3, 2, 1]);
    store.saveCheckpoint(id, { step: 3, loss: 1, params: new Float32Array(8), rngState: {} });
    store.saveSamples(id, { kind: 'final', n: 2, d: 2, data: new Float32Array(4) });
    store.saveEvaluation(id, {}, { w2: 0.1 });
    store.addArtifact(id, 'onnx', `/tmp/${id}.onnx`);
  }
  const count = (table: string, id: string) =>
    (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(id) as { n: number }).n;

  store.deleteRun(ids[0]);

  assert.equal(store.findRun(ids[0]), null);
  for (const table of CHILD_TABLES) {
    assert.equal(count(table, ids[0]), 0, `${table} rows of the deleted run remain`);
    assert.ok(count(table, ids[1]) > 0, `${table} rows of the other run were deleted`);
  }
  assert.deepEqual(store.db.pragma('foreign_key_check'), []);
});
