/**
 * Scores generated digits with the shipped classifier: the fraction labelled with confidence
 * >= 0.9, each class's share, and the Frechet distance to held-out digits beside its real-vs-real
 * floor (engine/metrics/images). The samples are an NPY [n, 1, 28, 28] in the pixel scale [0, 1],
 * as `flowlab sample --out s.npy` writes them.
 *
 * usage: node --import tsx scripts/scoreDigits.ts s.npy
 */
import { loadMnist, splitImages } from '../src-main/engine/data/images/index.js';
import { readNpyImages } from '../src-main/engine/data/images/npyImages.js';
import { imageMetrics, openDigitClassifier, pixelLevelsToUnit } from '../src-main/engine/metrics/images/index.js';
import { modelsDir } from '../src-main/service/pretrained.js';

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node --import tsx scripts/scoreDigits.ts SAMPLES.npy\n');
  process.exit(2);
}
const samples = readNpyImages(path);
const classifier = await openDigitClassifier(modelsDir());
try {
  const { test } = splitImages(loadMnist(), 0.1, 0);
  const m = await imageMetrics({ classifier, samples: pixelLevelsToUnit(samples.pixels), heldOut: pixelLevelsToUnit(test.pixels) });
  const result = {
    n: samples.n,
    confidentFraction: m.labels.confidentFraction,
    classFractions: m.labels.classFractions.map((f) => Math.round(f * 1000) / 1000),
    classifierFrechet: m.frechet.value,
    classifierFrechetFloor: m.frechet.floor,
    frechetSize: m.frechet.size,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await classifier.release();
}
