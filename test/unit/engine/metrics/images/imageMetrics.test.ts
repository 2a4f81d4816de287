import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnist, splitImages, type ImageDataset } from '../../../../../src-main/engine/data/images/index.js';
import { openDigitClassifier, pixelLevelsToUnit, predictions, type DigitClassifier } from '../../../../../src-main/engine/metrics/images/digitClassifier.js';
import { CONFIDENT, frechetWithFloor, imageMetrics, labelStats } from '../../../../../src-main/engine/metrics/images/imageMetrics.js';
import { nearestTraining } from '../../../../../src-main/engine/metrics/images/nearestNeighbours.js';
import { modelsDir } from '../../../../../src-main/service/pretrained.js';
import { Rng } from '../../../../../src-main/engine/random.js';

/** The shipped model is deterministic; this much room covers ONNX Runtime builds that round differently. */
const ACCURACY_TOLERANCE = 0.005;
const PIXELS = 784;

let classifier: DigitClassifier;
let train: ImageDataset;
let test_: ImageDataset;
let heldOut: Float32Array;

before(async () => {
  classifier = await openDigitClassifier(modelsDir());
  const split = splitImages(loadMnist(), classifier.manifest.training.heldOutFraction, classifier.manifest.training.splitSeed);
  train = split.train;
  test_ = split.test;
  heldOut = pixelLevelsToUnit(test_.pixels);
});
after(() => classifier.release());

function uniformNoise(n: number, seed: number): Float32Array {
  const rng = new Rng(seed, 9);
  return Float32Array.from({ length: n * PIXELS }, () => rng.uniform());
}

test("the shipped classifier's held-out accuracy, measured here on the real held-out digits, matches its manifest", async () => {
  const { labels } = predictions((await classifier.classify(heldOut)).logits);
  let correct = 0;
  for (let i = 0; i < test_.n; i++) if (labels[i] === test_.labels![i]) correct++;
  const accuracy = correct / test_.n;
  assert.equal(test_.n, classifier.manifest.heldOut.images);
  assert.ok(accuracy >= classifier.manifest.heldOut.accuracy - ACCURACY_TOLERANCE, `accuracy ${accuracy} vs manifest ${classifier.manifest.heldOut.accuracy}`);
  assert.ok(accuracy >= 0.95, `accuracy ${accuracy}`);
});

test('real digits are labelled confidently, uniform noise is not', async () => {
  const real = labelStats(await classifier.classify(heldOut));
  const noise = labelStats(await classifier.classify(uniformNoise(500, 1)));
  assert.ok(real.confidentFraction >= 0.85, `real digits: ${real.confidentFraction} labelled with confidence >= ${CONFIDENT}`);
  assert.ok(noise.confidentFraction <= 0.05, `noise: ${noise.confidentFraction} labelled with confidence >= ${CONFIDENT}`);
});

test('the class histogram of real held-out digits is their true label histogram, to within the errors', async () => {
  const s = labelStats(await classifier.classify(heldOut));
  const truth = new Array<number>(10).fill(0);
  for (const l of test_.labels!) truth[l]++;
  assert.equal(s.classCounts.reduce((a, b) => a + b, 0), test_.n);
  for (let k = 0; k < 10; k++) assert.ok(Math.abs(s.classCounts[k] - truth[k]) <= 0.05 * test_.n, `class ${k}: ${s.classCounts[k]} predicted, ${truth[k]} true`);
});

test('the real-vs-real floor is small next to the distance to noise; real training digits as samples score near the floor', async () => {
  const ch = await classifier.classify(heldOut);
  // every 18th training digit: the set is ordered by class, so a prefix would be all zeros
  const spread = new Uint8Array(500 * PIXELS);
  for (let i = 0; i < 500; i++) spread.set(train.pixels.subarray(18 * i * PIXELS, (18 * i + 1) * PIXELS), i * PIXELS);
  const realSamples = await classifier.classify(pixelLevelsToUnit(spread));
  const noise = frechetWithFloor(ch, await classifier.classify(uniformNoise(500, 2)));
  const real = frechetWithFloor(ch, realSamples);
  assert.equal(noise.size, 500);
  assert.ok(noise.floor > 0, 'two different halves of real digits are not at distance 0');
  console.log(`Frechet distance, 500 vs 500: real-vs-real floor ${noise.floor.toFixed(2)}, training digits ${real.value.toFixed(2)}, uniform noise ${noise.value.toFixed(1)}`);
  assert.ok(noise.value > 20 * noise.floor, `noise ${noise.value} vs floor ${noise.floor}`);
  assert.ok(real.value < 2 * real.floor, `real training digits ${real.value} vs floor ${real.floor}`);
  // the floor averages several cuts of the held-out digits, which differ from one another
  const [lo, hi] = noise.floorRange;
  assert.ok(lo < noise.floor && noise.floor < hi, `floor ${noise.floor} inside the single-cut range [${lo}, ${hi}]`);
  assert.deepEqual(frechetWithFloor(ch, realSamples), real, 'the same seed gives the same cuts');
  assert.notEqual(frechetWithFloor(ch, realSamples, 1).floor, real.floor, 'another seed, other cuts');
});

test('a training image is at distance 0 from the training set; held-out digits are not', async () => {
  const picks = [0, 17, 4321, train.n - 1];
  const queries = new Float32Array(picks.length * PIXELS);
  const all = pixelLevelsToUnit(train.pixels);
  picks.forEach((p, i) => queries.set(all.subarray(p * PIXELS, (p + 1) * PIXELS), i * PIXELS));
  const r = await nearestTraining(queries, all, PIXELS);
  assert.deepEqual(Array.from(r.distance), [0, 0, 0, 0]);
  // the match is that image itself or an exact duplicate of it
  picks.forEach((p, i) => assert.deepEqual(all.subarray(r.index[i] * PIXELS, (r.index[i] + 1) * PIXELS), all.subarray(p * PIXELS, (p + 1) * PIXELS)));
  const h = await nearestTraining(heldOut.subarray(0, 50 * PIXELS), all, PIXELS);
  assert.ok(h.distance.every((d) => d > 1), `held-out distances ${h.distance.slice(0, 5)}`);
});

test('the nearest-image distance is exact: it matches a brute-force float64 search', async () => {
  const all = pixelLevelsToUnit(train.pixels.subarray(0, 2000 * PIXELS));
  const queries = heldOut.subarray(0, 20 * PIXELS);
  const r = await nearestTraining(queries, all, PIXELS);
  for (let i = 0; i < 20; i++) {
    let best = Infinity;
    for (let j = 0; j < 2000; j++) {
      let s = 0;
      for (let k = 0; k < PIXELS; k++) s += (queries[i * PIXELS + k] - all[j * PIXELS + k]) ** 2;
      best = Math.min(best, s);
    }
    assert.equal(r.distance[i], Math.sqrt(best));
  }
});

test('imageMetrics on memorized samples (copies of training digits): nearest distance 0, far below the held-out reference', async () => {
  const all = pixelLevelsToUnit(train.pixels);
  const copies = all.slice(0, 300 * PIXELS);
  const m = await imageMetrics({ classifier, samples: copies, heldOut, train: all });
  assert.equal(m.nearest!.median, 0);
  assert.ok(m.nearest!.heldOutMedian > 1, `held-out median ${m.nearest!.heldOutMedian}`);
  assert.equal(m.frechet.size, 300);
  assert.ok(m.labels.confidentFraction > 0.85);
});
