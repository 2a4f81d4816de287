import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist, pickImages } from '../../../../../src-main/engine/data/images/index.js';
import { Graph } from '../../../../../src-main/engine/onnx/graph.js';
import * as op from '../../../../../src-main/engine/onnx/ops/index.js';
import { createSession, ort } from '../../../../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../../../../src-main/engine/onnx/serialize.js';
import { classifierLayout, featureDim, type ClassifierSpec } from '../../../../../src-main/engine/metrics/images/classifierNet.js';
import { trainClassifier } from '../../../../../src-main/engine/metrics/images/classifierTraining.js';
import { CLASSIFIER_NAME, type ClassifierManifest } from '../../../../../src-main/engine/metrics/images/digitClassifier.js';
import { modelsDir } from '../../../../../src-main/service/pretrained.js';

test('softmax cross-entropy stays finite and exact for logits far beyond exp overflow', async () => {
  const g = new Graph('ce');
  const logits = g.input('logits', 'float32', [2, 3]);
  const target = g.input('target', 'float32', [2, 3]);
  g.setNamedOutputs({ loss: op.softmaxCrossEntropy(logits, target) });
  const s = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
  const out = await s.run({
    logits: new ort.Tensor('float32', Float32Array.from([1000, 0, -1000, 500, 501, 0]), [2, 3]),
    target: new ort.Tensor('float32', Float32Array.from([1, 0, 0, 0, 1, 0]), [2, 3]),
  });
  await s.release();
  // row 1: -log softmax = 0; row 2: log(1 + e^-1); mean over the 2 rows
  const exact = Math.log(1 + Math.exp(-1)) / 2;
  assert.ok(Math.abs((out.loss.data as Float32Array)[0] - exact) < 1e-6);
});

test('classifier training lowers the cross-entropy and is reproducible from its seed', async () => {
  const mnist = loadMnist();
  // every 10th digit, so all classes appear
  const mask = new Uint8Array(mnist.n).map((_, i) => (i % 10 === 0 ? 1 : 0));
  const small = pickImages(mnist, mask, 1);
  const spec: ClassifierSpec = { kind: 'mlp', hidden: [32] };
  const opts = { spec, steps: 150, batch: 32, noiseRows: 4, lr: 3e-3, seed: 5, threads: 1 };
  const a = await trainClassifier(small, opts);
  const b = await trainClassifier(small, opts);
  assert.deepEqual(a.params, b.params);
  assert.equal(a.params.length, classifierLayout(spec).total);
  const mean = (xs: Float32Array) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const first = mean(a.losses.subarray(0, 10));
  const last = mean(a.losses.subarray(140));
  assert.ok(last < 0.6 * first, `loss ${first} -> ${last}`);
  const c = await trainClassifier(small, { ...opts, seed: 6 });
  assert.notDeepEqual(c.params, a.params);
});

test('the shipped classifier file is small and exposes x [N, 1, 28, 28] -> logits [N, 10], features [N, F]', async () => {
  const bytes = readFileSync(join(modelsDir(), `${CLASSIFIER_NAME}.onnx`));
  const manifest = JSON.parse(readFileSync(join(modelsDir(), `${CLASSIFIER_NAME}.json`), 'utf8')) as ClassifierManifest;
  assert.ok(bytes.length < 2e6, `${bytes.length} bytes`);
  assert.equal(manifest.featureDim, featureDim(manifest.architecture));
  const s = await createSession(bytes, { backend: 'cpu', threads: 1 });
  assert.deepEqual(s.inputNames, ['x']);
  assert.deepEqual([...s.outputNames].sort(), ['features', 'logits']);
  const out = await s.run({ x: new ort.Tensor('float32', new Float32Array(3 * 784).fill(-1), [3, 1, 28, 28]) });
  await s.release();
  assert.deepEqual(out.logits.dims, [3, 10]);
  assert.deepEqual(out.features.dims, [3, manifest.featureDim]);
});
