/**
 * The shipped digit classifier (models/mnist-classifier.onnx + .json) run in ONNX Runtime.
 * Images come in the pixel scale y in [0, 1] ([n, 1, 28, 28], what `sample --out FILE.npy`
 * writes); the model reads the flows' training scale x = 2 y - 1.
 *
 * Real digits of pixel levels k are given as y = (k + 1/2)/256, the centre of each
 * dequantisation bin (`pixelLevelsToUnit`): a flow trained on x = 2 (k + u)/256 - 1 produces
 * samples in the same bins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSession, ort } from '../../onnx/runtime.js';
import { PIXEL_LEVELS } from '../../data/images/index.js';
import { CLASSIFIER_CLASSES, CLASSIFIER_PIXELS, CLASSIFIER_SIDE, type ClassifierSpec } from './classifierNet.js';

export const CLASSIFIER_NAME = 'mnist-classifier';
/** Images per ONNX Runtime call: bounds the memory of the activations. */
const CHUNK = 1000;

export interface ClassifierManifest {
  name: string;
  description: string;
  architecture: ClassifierSpec;
  /** Input scale and shape, spelled out for anyone running the ONNX file elsewhere. */
  input: string;
  featureDim: number;
  parameters: number;
  training: {
    dataset: string;
    trainImages: number;
    heldOutFraction: number;
    splitSeed: number;
    seed: number;
    steps: number;
    batch: number;
    /** Uniform-noise images per batch with the uniform target (outlier exposure). */
    noiseRows: number;
    /** Largest translation in pixels of the training augmentation (absent: none). */
    shift?: number;
    lr: number;
    seconds: number;
    threads: number;
    date: string;
  };
  heldOut: { images: number; accuracy: number; meanConfidence: number; confidentFraction: number };
  /** The same figures for uniform noise images in [0, 1] (seeded): what the model says off the digits. */
  uniformNoise: { images: number; meanConfidence: number; confidentFraction: number };
}

export interface Classified {
  n: number;
  /** [n, 10] row-major. */
  logits: Float32Array;
  /** [n, F] row-major. */
  features: Float32Array;
  featureDim: number;
}

export interface DigitClassifier {
  manifest: ClassifierManifest;
  /** Logits and features of images [n, 1, 28, 28] in the pixel scale [0, 1]. */
  classify(unitPixels: Float32Array): Promise<Classified>;
  release(): Promise<void>;
}

/** Pixel levels k to the pixel scale at the centre of each dequantisation bin: y = (k + 1/2)/256. */
export function pixelLevelsToUnit(pixels: Uint8Array): Float32Array {
  const y = new Float32Array(pixels.length);
  for (let j = 0; j < pixels.length; j++) y[j] = (pixels[j] + 0.5) / PIXEL_LEVELS;
  return y;
}

/** Opens `dir`/mnist-classifier.onnx with its manifest. */
export async function openDigitClassifier(dir: string, threads = 2): Promise<DigitClassifier> {
  const onnxPath = join(dir, `${CLASSIFIER_NAME}.onnx`);
  const jsonPath = join(dir, `${CLASSIFIER_NAME}.json`);
  if (!existsSync(onnxPath) || !existsSync(jsonPath)) throw new Error(`the digit classifier is missing: ${onnxPath} (rebuild it with scripts/buildClassifier.ts)`);
  const manifest = JSON.parse(readFileSync(jsonPath, 'utf8')) as ClassifierManifest;
  return classifierFromBytes(readFileSync(onnxPath), manifest, threads);
}

/** A classifier from model bytes (the build script measures its model before writing it). */
export async function classifierFromBytes(model: Uint8Array, manifest: ClassifierManifest, threads = 2): Promise<DigitClassifier> {
  const session = await createSession(model, { backend: 'cpu', threads });
  const F = manifest.featureDim;
  return {
    manifest,
    async classify(unitPixels) {
      if (unitPixels.length % CLASSIFIER_PIXELS !== 0) throw new Error(`${unitPixels.length} values are not whole 28 x 28 images`);
      const n = unitPixels.length / CLASSIFIER_PIXELS;
      const logits = new Float32Array(n * CLASSIFIER_CLASSES);
      const features = new Float32Array(n * F);
      for (let i0 = 0; i0 < n; i0 += CHUNK) {
        const m = Math.min(CHUNK, n - i0);
        const x = new Float32Array(m * CLASSIFIER_PIXELS);
        const src = unitPixels.subarray(i0 * CLASSIFIER_PIXELS, (i0 + m) * CLASSIFIER_PIXELS);
        for (let j = 0; j < x.length; j++) x[j] = 2 * src[j] - 1;
        const out = await session.run({ x: new ort.Tensor('float32', x, [m, 1, CLASSIFIER_SIDE, CLASSIFIER_SIDE]) });
        logits.set(out.logits.data as Float32Array, i0 * CLASSIFIER_CLASSES);
        features.set(out.features.data as Float32Array, i0 * F);
      }
      return { n, logits, features, featureDim: F };
    },
    release: () => session.release(),
  };
}

/** Softmax probabilities of logits [n, 10], computed stably (max subtracted) in float64. */
export function probabilities(logits: Float32Array): Float64Array {
  const K = CLASSIFIER_CLASSES;
  const p = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i += K) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, logits[i + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += p[i + k] = Math.exp(logits[i + k] - max);
    for (let k = 0; k < K; k++) p[i + k] /= sum;
  }
  return p;
}

/** Predicted class (argmax) and its probability for each row of logits [n, 10]. */
export function predictions(logits: Float32Array): { labels: Uint8Array; confidence: Float64Array } {
  const K = CLASSIFIER_CLASSES;
  const p = probabilities(logits);
  const n = logits.length / K;
  const labels = new Uint8Array(n);
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + best]) best = k;
    labels[i] = best;
    confidence[i] = p[i * K + best];
  }
  return { labels, confidence };
}
