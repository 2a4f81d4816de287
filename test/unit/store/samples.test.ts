import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src-main/errors.js';
import { runInit, tempStore } from './tempStore.js';

describe('samples, evaluations and artifacts', () => {
  test('samples keep their shape, kind and meta; listing leaves the data out', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    const data = Float32Array.from({ length: 3 * 4 * 2 }, (_, i) => i / 7);
    const saved = store.saveSamples(id, {
      kind: 'trajectory', frames: 3, n: 4, d: 2, data, meta: { times: [0, 0.5, 1], solver: 'rk4' },
    });
    store.saveSamples(id, { kind: 'final', n: 2, d: 2, data: new Float32Array(4) });
    const loaded = store.getSamples(saved.id);
    assert.deepEqual(
      { kind: loaded.kind, frames: loaded.frames, n: loaded.n, d: loaded.d, meta: loaded.meta },
      { kind: 'trajectory', frames: 3, n: 4, d: 2, meta: { times: [0, 0.5, 1], solver: 'rk4' } },
    );
    assert.deepEqual(loaded.data, data);
    assert.deepEqual(store.listSamples(id).map((s) => s.kind), ['trajectory', 'final']);
    assert.deepEqual(store.listSamples(id, 'final').map((s) => s.n), [2]);
    assert.equal('data' in store.listSamples(id)[0], false);
    assert.equal(store.latestSamples(id, 'final')?.frames, 1);
    assert.equal(store.latestSamples(id, 'preview'), null);
  });

  test('sample data that does not match frames x n x d is rejected', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    assert.throws(
      () => store.saveSamples(id, { kind: 'final', n: 3, d: 2, data: new Float32Array(5) }),
      /5 values, expected frames\*n\*d = 1\*3\*2/,
    );
  });

  test('an unknown samples id is a user error', () => {
    const { store } = tempStore();
    assert.throws(() => store.getSamples(999), UserError);
  });

  test('evaluations and artifacts read back in the order saved', () => {
    const { store } = tempStore();
    const { id } = store.createRun(runInit());
    store.saveEvaluation(id, { n: 2000, solver: 'heun', steps: 50 }, { energyDistance: 0.012, nll: 1.7 });
    store.saveEvaluation(id, { n: 4000 }, { energyDistance: 0.009 });
    const evaluations = store.listEvaluations(id);
    assert.deepEqual(evaluations.map((e) => e.results.energyDistance), [0.012, 0.009]);
    assert.deepEqual(evaluations[0].params, { n: 2000, solver: 'heun', steps: 50 });
    store.addArtifact(id, 'onnx', '/exports/moons.onnx');
    assert.deepEqual(
      store.listArtifacts(id).map((a) => [a.kind, a.path]),
      [['onnx', '/exports/moons.onnx']],
    );
  });
});
