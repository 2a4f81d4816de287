/**
 * The digit classifier's figures for a run trained on MNIST (engine/metrics/images): the Frechet
 * distance between held-out digits and samples in its feature space with its real-vs-real floor,
 * the fraction of samples it labels with confidence >= 0.9, the spread of its labels over the ten
 * classes, and how close samples sit to their nearest training digit (memorization) beside the
 * same distance for held-out digits. The held-out digits are the classifier's own (MNIST split
 * with seed 0), which it never trained on.
 */
import { loadMnist, splitImages } from '../engine/data/images/index.js';
import { imageMetrics, median, nearestTraining, openDigitClassifier, pixelLevelsToUnit } from '../engine/metrics/images/index.js';
import type { Evaluation } from './evaluate.js';
import type { ImageSampleSet } from './evaluateImages.js';
import { modelsDir } from './pretrained.js';
import { trainingScaleToUnit } from './nearestImages.js';
import { fractionStdErr } from '../api/metricInfo.js';

/** The split the shipped classifier was trained on (models/mnist-classifier.json: heldOutFraction, splitSeed). */
const CLASSIFIER_HELD_OUT = 0.1;
const CLASSIFIER_SPLIT_SEED = 0;

const DIGIT_PIXELS = 28 * 28;
/** Threads of the nearest-image search's products (the engine process's own share of the machine). */
const NEAREST_THREADS = 2;

export async function digitMetrics(s: ImageSampleSet): Promise<Evaluation> {
  if (s.dataset.trim().toLowerCase() !== 'mnist') return {};
  const classifier = await openDigitClassifier(modelsDir());
  try {
    const { test } = splitImages(loadMnist(), CLASSIFIER_HELD_OUT, CLASSIFIER_SPLIT_SEED);
    const samples = trainingScaleToUnit(s.samples);
    const m = await imageMetrics({ classifier, samples, heldOut: pixelLevelsToUnit(test.pixels), seed: s.seed });
    // Memorization against the run's own split: the classifier's held-out digits may be among the
    // run's training images, so the reference is the run's held-out images.
    const train = pixelLevelsToUnit(s.train.pixels);
    const fromSamples = await nearestTraining(samples, train, DIGIT_PIXELS, NEAREST_THREADS);
    const fromHeldOut = await nearestTraining(trainingScaleToUnit(s.heldOut), train, DIGIT_PIXELS, NEAREST_THREADS);
    const fractions = m.labels.classFractions;
    return {
      classifierFrechet: m.frechet.value,
      classifierFrechetFloor: m.frechet.floor,
      confidentFraction: m.labels.confidentFraction,
      confidentFractionStdErr: fractionStdErr(m.labels.confidentFraction, m.labels.n),
      classFractionMin: Math.min(...fractions),
      classFractionMax: Math.max(...fractions),
      classFractions: JSON.stringify(fractions),
      nearestTrainMedian: median(fromSamples.distance),
      nearestTrainHeldOutMedian: median(fromHeldOut.distance),
    };
  } finally {
    await classifier.release();
  }
}
