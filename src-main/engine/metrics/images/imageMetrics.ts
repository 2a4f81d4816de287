/**
 * Sample quality of digit images, measured with the shipped classifier (digitClassifier.ts).
 * Every image is [1, 28, 28] in the pixel scale y in [0, 1]; real digits of levels k enter as
 * y = (k + 1/2)/256 (`pixelLevelsToUnit`).
 *
 * - Frechet distance (frechet.ts) in the classifier's feature space, with its floor. The held-out
 *   digits are shuffled (seeded) and cut into two disjoint halves A and B; with s = min(|A|, n):
 *     value = FD(A[:s], samples[:s]),   floor = FD(A[:s], B[:s]),
 *   each the mean over HALVINGS such cuts. Both compare s images with s images, so they carry the
 *   same finite-sample bias and a perfect model scores about the floor. One cut is not enough: on
 *   MNIST's 1,000 held-out digits (s = 500, 128 features) the floor of a single cut ranged from
 *   80 to 132 over ten cuts, so a ratio to it said as much about the cut as about the model.
 * - Class histogram of the samples' predicted labels, and the fraction labelled with
 *   confidence (top softmax probability) >= CONFIDENT.
 * - Nearest training image (nearestNeighbours.ts) of every sample, its median, and the same
 *   median for the held-out digits as the reference: samples much closer to the training set than
 *   held-out digits are signs of memorization.
 */
import { Rng } from '../../random.js';
import { CLASSIFIER_CLASSES, CLASSIFIER_PIXELS } from './classifierNet.js';
import { predictions, type Classified, type DigitClassifier } from './digitClassifier.js';
import { featureMoments, frechetDistance } from './frechet.js';
import { median, nearestTraining } from './nearestNeighbours.js';

/** A sample counts as confidently labelled when its top class probability is at least this (issue 14's acceptance figure). */
export const CONFIDENT = 0.9;
/** Stream of the shuffles that halve the held-out digits for the floor (cut k: counter k). */
const HALVES_STREAM = 0xc1a5_0003;
/** Cuts of the held-out digits that the Frechet distance and its floor are averaged over. */
export const HALVINGS = 8;

export interface ImageMetricsInput {
  classifier: DigitClassifier;
  /** Samples [n, 1, 28, 28] in the pixel scale [0, 1]. */
  samples: Float32Array;
  /** Held-out real digits [m, 1, 28, 28] in the pixel scale (at least 4). */
  heldOut: Float32Array;
  /** Training digits [N, 1, 28, 28] in the pixel scale: for the nearest-image check (omit to skip it). */
  train?: Float32Array;
  /** Seed of the held-out halving (default 0). */
  seed?: number;
  threads?: number;
}

export interface FrechetWithFloor {
  /** FD(held-out half A, samples), s images each, the mean over the cuts. */
  value: number;
  /** FD(held-out half A, held-out half B), s images each, the mean over the cuts. */
  floor: number;
  /** The smallest and largest floor of a single cut. */
  floorRange: [number, number];
  /** Images on each side, s. */
  size: number;
}

export interface LabelStats {
  /** Images counted. */
  n: number;
  /** Images predicted as each class 0..9. */
  classCounts: number[];
  /** classCounts / n. */
  classFractions: number[];
  /** Fraction with top class probability >= CONFIDENT. */
  confidentFraction: number;
  meanConfidence: number;
}

export interface NearestSummary {
  /** Per sample: L2 distance (pixel scale) to its nearest training image, and that image's index. */
  distance: Float64Array;
  index: Uint32Array;
  median: number;
  /** Median nearest-training distance of the held-out digits: the level of honest novelty. */
  heldOutMedian: number;
}

export interface ImageMetrics {
  frechet: FrechetWithFloor;
  labels: LabelStats;
  nearest: NearestSummary | null;
}

/** Class histogram and confident fraction of classified images. */
export function labelStats(c: Classified): LabelStats {
  const { labels, confidence } = predictions(c.logits);
  const classCounts = new Array<number>(CLASSIFIER_CLASSES).fill(0);
  let confident = 0;
  let sum = 0;
  for (let i = 0; i < c.n; i++) {
    classCounts[labels[i]]++;
    if (confidence[i] >= CONFIDENT) confident++;
    sum += confidence[i];
  }
  return {
    n: c.n,
    classCounts,
    classFractions: classCounts.map((k) => k / c.n),
    confidentFraction: confident / c.n,
    meanConfidence: sum / c.n,
  };
}

/** The Frechet distance of samples to held-out features beside its real-vs-real floor (see the file comment). */
export function frechetWithFloor(heldOut: Classified, samples: Classified, seed = 0): FrechetWithFloor {
  const F = heldOut.featureDim;
  const half = heldOut.n >> 1;
  const size = Math.min(half, samples.n);
  if (size < 2) throw new Error(`the Frechet distance needs at least 2 samples and 4 held-out images, got ${samples.n} and ${heldOut.n}`);
  const s = featureMoments(samples.features.subarray(0, size * F), F);
  let value = 0;
  const floors: number[] = [];
  for (let k = 0; k < HALVINGS; k++) {
    const order = shuffled(heldOut.n, new Rng(seed, HALVES_STREAM, k));
    const a = featureMoments(heldOut.features, F, order.subarray(0, size));
    const b = featureMoments(heldOut.features, F, order.subarray(half, half + size));
    value += frechetDistance(a, s) / HALVINGS;
    floors.push(frechetDistance(a, b));
  }
  return { value, floor: floors.reduce((x, y) => x + y, 0) / HALVINGS, floorRange: [Math.min(...floors), Math.max(...floors)], size };
}

/** Every image metric of `samples` (see the file comment). */
export async function imageMetrics(input: ImageMetricsInput): Promise<ImageMetrics> {
  const { classifier, samples, heldOut, train } = input;
  for (const [name, x] of [['samples', samples], ['held-out digits', heldOut], ['training digits', train]] as const) {
    if (x && x.length % CLASSIFIER_PIXELS !== 0) throw new Error(`${name}: ${x.length} values are not whole 1 x 28 x 28 images`);
  }
  const cs = await classifier.classify(samples);
  const ch = await classifier.classify(heldOut);
  let nearest: NearestSummary | null = null;
  if (train) {
    const threads = input.threads ?? 2;
    const s = await nearestTraining(samples, train, CLASSIFIER_PIXELS, threads);
    const h = await nearestTraining(heldOut, train, CLASSIFIER_PIXELS, threads);
    nearest = { distance: s.distance, index: s.index, median: median(s.distance), heldOutMedian: median(h.distance) };
  }
  return { frechet: frechetWithFloor(ch, cs, input.seed ?? 0), labels: labelStats(cs), nearest };
}

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
function shuffled(n: number, rng: Rng): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
