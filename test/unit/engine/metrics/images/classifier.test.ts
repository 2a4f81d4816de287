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
import { shiftImages, trainClassifier } from '../../../../../src-main/engine/metrics/images/classifierTraining.js';
import { CLASSIFIER_NAME, type ClassifierManifest } from '../../../../../src-main/engine/metrics/images/digitClassifier.js';
import { Rng } from '../../../../../src-main/engine/random.js';
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

test('the translation augmentation moves each digit by a whole shift within the bound, the border filled with background', () => {
  const S = 2;
  const rows = 400;
  const x = new Float32Array(rows * 784).fill(-1);
  // one lit pixel per row at (10, 12), and a second at (27, 27) that every shift but (0, 0) and
  // the leftward/upward ones pushes out of the frame
  for (let r = 0; r < rows; r++) {
    x[r * 784 + 10 * 28 + 12] = 1;
    x[r * 784 + 27 * 28 + 27] = 0.5;
  }
  shiftImages(x, S, new Rng(9, 1));
  const seen = new Set<string>();
  for (let r = 0; r < rows; r++) {
    const img = x.subarray(r * 784, (r + 1) * 784);
    const lit = [...img.keys()].filter((k) => img[k] === 1);
    assert.equal(lit.length, 1, `row ${r}: the digit pixel is kept once`);
    const dy = Math.floor(lit[0] / 28) - 10;
    const dx = (lit[0] % 28) - 12;
    assert.ok(Math.abs(dx) <= S && Math.abs(dy) <= S, `row ${r}: shift ${dx}, ${dy}`);
    seen.add(`${dx},${dy}`);
    const corner = [...img.keys()].filter((k) => img[k] === 0.5);
    if (dx <= 0 && dy <= 0) assert.deepEqual(corner, [(27 + dy) * 28 + 27 + dx], `row ${r}: the corner pixel moves with it`);
    else assert.equal(corner.length, 0, `row ${r}: the corner pixel leaves the frame`);
    const background = img.filter((v) => v === -1).length;
    assert.equal(background, 784 - 1 - corner.length, `row ${r}: everything else is background`);
  }
  assert.equal(seen.size, (2 * S + 1) ** 2, 'every shift in the square is drawn');
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
