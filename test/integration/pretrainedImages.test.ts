/**
 * Pretrained image models: a tiny U-Net trained on MNIST for a few steps is built into a
 * temporary models folder (the path scripts/buildPretrained.ts --from takes), and importing it
 * gives an image run with the recorded curve, the samples as shipped pixel levels, the image
 * figures and class histogram, and the same samples for a seed as the run it came from. The
 * nearest-training search finds a training image itself, and an image run's NPY is [n, C, H, W].
 */
import { IMAGE_SAMPLER } from '../../src-main/api/schemas.js';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type ExperimentConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { sampleRun } from '../../src-main/service/sample.js';
import { exportRun } from '../../src-main/service/export.js';
import { splitEvaluation, type Evaluation } from '../../src-main/service/evaluate.js';
import { importPretrained, listPretrained } from '../../src-main/service/pretrained.js';
import { buildPretrainedFromRun } from '../../src-main/service/pretrainedBuild.js';
import { fromPixelLevels, toPixelLevels, type ShippedImageSamples } from '../../src-main/service/pretrainedHistory.js';
import { nearestImages } from '../../src-main/service/nearestImages.js';
import { metricInfo, metricRows } from '../../src-main/api/metricInfo.js';
import { loadImageRunData } from '../../src-main/service/imageRunData.js';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-pretrained-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const models = join(dir, 'models');
mkdirSync(models);
const store = openStore(join(dir, 'store'));

function tinyMnist(): ExperimentConfig {
  const c = defaultConfig('mnist', 3);
  c.net = { kind: 'unet', baseChannels: 4, channelMults: [1, 2], blocksPerLevel: 1, attention: false, timeFrequencies: 2 };
  Object.assign(c.train, { steps: 8, batch: 4, warmupSteps: 2 });
  c.threads = 1;
  return c;
}

const trained = await trainRun({ store, config: tinyMnist() });

test('pixel levels round-trip: 0 and 255 are -1 and 1, and levels read back as themselves', () => {
  assert.deepEqual(Array.from(fromPixelLevels([0, 255])), [-1, 1]);
  const levels = Array.from({ length: 256 }, (_, k) => k);
  assert.deepEqual(toPixelLevels(fromPixelLevels(levels)), levels);
  assert.deepEqual(toPixelLevels(Float32Array.from([-3, 3, 0])), [0, 255, 128]);
});

test('a trained image run ships as a manifest with its shape, image figures, class histogram and pixel samples', async () => {
  const m = await buildPretrainedFromRun({ store, runId: trained.runId, name: 'tiny-mnist', dir: models, evalN: 4, samples: 6 });
  assert.deepEqual(m.shape, [1, 28, 28]);
  assert.equal(m.dim, 784);
  for (const k of ['bitsPerDim', 'bitsPerDimStdErr', 'classifierFrechet', 'classifierFrechetFloor', 'confidentFraction', 'classFractionMin']) {
    assert.equal(typeof m.metrics[k], 'number', k);
  }
  // every figure it records has a name, unit and explanation (metricInfo): no raw keys on the page
  assert.deepEqual(metricRows(Object.keys(m.metrics)).filter((r) => !metricInfo(r.key)).map((r) => r.key), []);
  assert.equal(m.lists!.classFractions.length, 10);
  assert.ok(Math.abs(m.lists!.classFractions.reduce((a: number, b) => a + b!, 0) - 1) < 1e-9);
  const s = m.samples as ShippedImageSamples;
  assert.equal(s.n, 6);
  assert.equal(s.pixels.length, 6 * 784);
  assert.ok(s.pixels.every((k) => Number.isInteger(k) && k >= 0 && k <= 255));
  // drawn as a user draws them: the image sampler, recorded with its eps
  assert.deepEqual([s.solver, s.steps, s.sdeEps], [IMAGE_SAMPLER.solver, IMAGE_SAMPLER.steps, IMAGE_SAMPLER.sdeEps]);
  assert.deepEqual(m.curves!.step.at(-1), 8 - 1);
  const onDisk = JSON.parse(readFileSync(join(models, 'tiny-mnist.json'), 'utf8'));
  assert.deepEqual(onDisk.shape, [1, 28, 28]);
  assert.deepEqual(listPretrained(models).map((p) => p.name), ['tiny-mnist']);
});

test('importing it creates an image run with the recorded curve, shipped samples and figures, sampling as the original', async () => {
  const fresh = openStore(join(dir, 'store-import'));
  try {
    const m = listPretrained(models)[0];
    const run = importPretrained(fresh, 'tiny-mnist', models);
    assert.equal(run.status, 'completed');
    assert.deepEqual(Array.from(fresh.metricsSeries(run.id, 'loss').steps), m.curves!.step);
    const samples = fresh.latestSamples(run.id, 'final')!;
    assert.equal(samples.n, 6);
    assert.equal(samples.meta.sdeEps, IMAGE_SAMPLER.sdeEps);
    assert.equal(samples.d, 784);
    assert.deepEqual(toPixelLevels(samples.data.subarray(0, 6 * 784)), (m.samples as ShippedImageSamples).pixels);
    const ev = splitEvaluation(fresh.listEvaluations(run.id)[0].results as Evaluation);
    assert.equal(ev.results.bitsPerDim, m.metrics.bitsPerDim);
    assert.deepEqual(ev.lists.classFractions, m.lists!.classFractions);
    const a = await sampleRun({ store, runId: trained.runId, n: 2, solver: 'rk4', steps: 4, seed: 9, save: false });
    const b = await sampleRun({ store: fresh, runId: run.id, n: 2, solver: 'rk4', steps: 4, seed: 9, save: false });
    assert.equal(b.d, 784);
    assert.deepEqual(b.x, a.x);
    const npy = join(dir, 'imported.npy');
    await exportRun({ store: fresh, runId: run.id, format: 'npy', out: npy });
    const bytes = readFileSync(npy);
    assert.match(bytes.subarray(10, 10 + bytes.readUInt16LE(8)).toString('latin1'), /'shape': \(6, 1, 28, 28\)/);
  } finally {
    fresh.close();
  }
});

test('a manifest whose shape disagrees with its dim is refused with a line naming the shape', () => {
  const m = JSON.parse(readFileSync(join(models, 'tiny-mnist.json'), 'utf8'));
  const bad = join(dir, 'bad-models');
  mkdirSync(bad);
  (m as { shape: number[] }).shape = [1, 28, 27];
  (m as { name: string }).name = 'bad';
  writeFileSync(join(bad, 'bad.json'), JSON.stringify(m));
  writeFileSync(join(bad, 'bad.onnx'), readFileSync(join(models, 'tiny-mnist.onnx')));
  const s = openStore(join(dir, 'store-bad'));
  try {
    assert.throws(() => importPretrained(s, 'bad', bad), /shape \[1,28,27\] must be whole numbers whose product is dim = 784/);
  } finally {
    s.close();
  }
});

test('the nearest training image of a training image is itself, at distance 0, returned in the training scale', async () => {
  const w = await loadImageRunData(tinyMnist());
  const j = [5, 17];
  const D = 784;
  const x = new Float32Array(2 * D);
  j.forEach((row, i) => { for (let k = 0; k < D; k++) x[i * D + k] = (2 * (w.train.pixels[row * D + k] + 0.5)) / 256 - 1; });
  const r = await nearestImages(store, trained.runId, x, 2);
  assert.deepEqual(r.indices, j);
  for (const dist of r.distances) assert.ok(dist < 1e-5, `distance ${dist}`);
  for (let k = 0; k < x.length; k++) assert.ok(Math.abs(r.neighbours[k] - x[k]) < 1e-6);
  await assert.rejects(nearestImages(store, trained.runId, x, 3), /x holds 1568 numbers, expected n \* 784 = 2352/);
});

test('scripts/buildPretrained.ts --from DATA_DIR --run RUN_ID --name NAME writes the model into FLOWLAB_MODELS_DIR', () => {
  const out = join(dir, 'script-models');
  mkdirSync(out);
  for (const f of ['mnist-classifier.onnx', 'mnist-classifier.json']) copyFileSync(join(ROOT, 'models', f), join(out, f));
  const script = join(ROOT, 'scripts', 'buildPretrained.ts');
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, FLOWLAB_MODELS_DIR: out },
  });
  const r = run(['--from', join(dir, 'store'), '--run', trained.runId, '--name', 'from-script', '--eval-n', '4', '--samples', '4', '--sde-eps', '0.6']);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(readFileSync(join(out, 'from-script.json'), 'utf8'));
  assert.deepEqual([m.shape, m.samples.n, m.samples.pixels.length], [[1, 28, 28], 4, 4 * 784]);
  assert.equal(typeof m.metrics.classifierFrechet, 'number');
  // --sde-eps: the model's own sampler eps, measured, shipped, and recorded in its config
  assert.equal(m.config.images.sdeEps, 0.6);
  assert.equal(m.samples.sdeEps, 0.6);
  assert.equal(store.listEvaluations(trained.runId).at(-1)!.results.sampler, 'em (eps 0.6), 100 steps');
  const bad = run(['--from', join(dir, 'store'), '--run', trained.runId]);
  assert.notEqual(bad.status, 0);
  assert.equal(bad.stderr, "error: --from DATA_DIR, --run RUN_ID and --name NAME go together\n");
  const badEps = run(['--from', join(dir, 'store'), '--run', trained.runId, '--name', 'x', '--sde-eps', '11']);
  assert.notEqual(badEps.status, 0);
  assert.match(badEps.stderr, /^error: .*images\.sdeEps.*must lie in \[0, 10\]/);
});

test('a model shipped with its own sampler eps draws with it once opened, unless a sampler is named', async () => {
  const out = join(dir, 'script-models');
  const fresh = openStore(join(dir, 'store-eps'));
  try {
    const run = importPretrained(fresh, 'from-script', out);
    const plain = await sampleRun({ store: fresh, runId: run.id, n: 2, steps: 2, save: false });
    assert.deepEqual(plain.sampler, { solver: IMAGE_SAMPLER.solver, steps: 2, sdeEps: 0.6 });
    const named = await sampleRun({ store: fresh, runId: run.id, n: 2, solver: 'em', steps: 2, sdeEps: 2, save: false });
    assert.equal(named.sampler.sdeEps, 2);
  } finally {
    fresh.close();
  }
});
