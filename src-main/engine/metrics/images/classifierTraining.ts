/**
 * Training the digit classifier with FlowLab's own graph builder: one ONNX program per optimizer
 * step computes the softmax cross-entropy of a batch, its gradient by `grad`, and an Adam update:
 *
 *   L = -(1/B) sum_b log softmax(f(x_b))_{label_b}
 *   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2,  p = p - alpha_t m / (sqrt(v) + epsHat_t)
 *   alpha_t = lr_t sqrt(1 - b2^t) / (1 - b1^t),  epsHat_t = eps sqrt(1 - b2^t)   (bias correction)
 *
 * with lr_t on a cosine from lr to 0. Each step's batch is an epoch-wise shuffle of the training
 * images, dequantised as the flows see them: x = 2 (k + u)/256 - 1 with u drawn from the seed and
 * the step (dequantize.ts), so the classifier reads the values flow samples take. `noiseRows`
 * more rows per batch hold uniform noise images with the uniform target 1/10 for every class
 * (outlier exposure): the loss then asks for low confidence away from digits, so the
 * confident-fraction metric does not credit noise. With `shift` S > 0 each digit is moved by a
 * whole number of pixels dx, dy uniform in [-S, S] (the uncovered border is background, -1), so
 * the 9,000 training digits stand for many more and the net does not learn their exact places.
 * Everything random follows from the seed: the same seed gives the same weights on the same
 * backend.
 */
import { grad } from '../../onnx/autodiff.js';
import { Graph } from '../../onnx/graph.js';
import * as op from '../../onnx/ops/index.js';
import { createSession, ort } from '../../onnx/runtime.js';
import { serializeModel } from '../../onnx/serialize.js';
import { Rng } from '../../random.js';
import { dequantizeRows, type ImageDataset } from '../../data/images/index.js';
import {
  CLASSIFIER_CLASSES,
  CLASSIFIER_PIXELS,
  CLASSIFIER_SIDE,
  classifierForward,
  classifierLayout,
  initClassifier,
  unpackClassifier,
  type ClassifierSpec,
} from './classifierNet.js';

/** Stream of the batch shuffles, apart from every other stream a seed feeds. */
const SHUFFLE_STREAM = 0xc1a5_0002;
/** Stream of the noise images of outlier exposure. */
const NOISE_STREAM = 0xc1a5_0004;
/** Stream of the shifts of the translation augmentation. */
const SHIFT_STREAM = 0xc1a5_0006;
/** Adam's moment decays and denominator floor (the usual defaults). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;

export interface ClassifierTrainOptions {
  spec: ClassifierSpec;
  steps: number;
  /** Digits per batch. */
  batch: number;
  /** Uniform-noise images per batch, each with the uniform target (default 0). */
  noiseRows?: number;
  /** Largest translation in pixels of the augmentation (default 0: none). */
  shift?: number;
  lr: number;
  seed: number;
  threads: number;
  /** Called every `every` steps with the step count and the mean loss since the last call. */
  onProgress?: (step: number, loss: number) => void;
  every?: number;
}

export interface ClassifierTrainResult {
  params: Float32Array;
  seconds: number;
  losses: Float32Array;
}

/** One Adam step's program: inputs params, m, v [P], x [B, 1, 28, 28], target [B, 10], adam [2] = (alpha_t, epsHat_t). */
export function classifierStepProgram(spec: ClassifierSpec, batch: number): Uint8Array {
  const P = classifierLayout(spec).total;
  const g = new Graph('classifier_step');
  const [p, m, v] = ['params', 'm', 'v'].map((n) => g.input(n, 'float32', [P]));
  const x = g.input('x', 'float32', [batch, 1, CLASSIFIER_SIDE, CLASSIFIER_SIDE]);
  const target = g.input('target', 'float32', [batch, CLASSIFIER_CLASSES]);
  const adam = g.input('adam', 'float32', [2]);
  const layers = unpackClassifier(spec, p);
  const loss = op.softmaxCrossEntropy(classifierForward(spec, layers, x).logits, target);
  const gflat = op.concat(grad(loss, layers).map((t) => op.reshape(t, [-1])), 0);
  const alpha = op.gather(adam, g.scalar(0, 'int64'));
  const epsHat = op.gather(adam, g.scalar(1, 'int64'));
  const m2 = op.add(op.mul(m, BETA1), op.mul(gflat, 1 - BETA1));
  const v2 = op.add(op.mul(v, BETA2), op.mul(op.square(gflat), 1 - BETA2));
  const p2 = op.sub(p, op.mul(op.div(m2, op.add(op.sqrt(v2), epsHat)), alpha));
  g.setNamedOutputs({ params_out: p2, m_out: m2, v_out: v2, loss });
  return serializeModel(g);
}

/** Trains the classifier on every image of `train` (labels required) and returns its parameters. */
export async function trainClassifier(train: ImageDataset, o: ClassifierTrainOptions): Promise<ClassifierTrainResult> {
  if (!train.labels) throw new Error(`${train.source}: the classifier needs labelled images`);
  if (train.c !== 1 || train.h !== CLASSIFIER_SIDE || train.w !== CLASSIFIER_SIDE) throw new Error('the classifier takes 1 x 28 x 28 images');
  const P = classifierLayout(o.spec).total;
  const noiseRows = o.noiseRows ?? 0;
  const rowsPerStep = o.batch + noiseRows;
  const session = await createSession(classifierStepProgram(o.spec, rowsPerStep), { backend: 'cpu', threads: o.threads });
  let params: Float32Array = initClassifier(o.spec, o.seed);
  let m: Float32Array = new Float32Array(P);
  let v: Float32Array = new Float32Array(P);
  const x = new Float32Array(rowsPerStep * CLASSIFIER_PIXELS);
  const target = new Float32Array(rowsPerStep * CLASSIFIER_CLASSES);
  target.fill(1 / CLASSIFIER_CLASSES, o.batch * CLASSIFIER_CLASSES);
  const rows = new Uint32Array(o.batch);
  const order = new Uint32Array(train.n);
  let cursor = train.n;
  let epoch = 0;
  const losses = new Float32Array(o.steps);
  const every = o.every ?? 100;
  let sinceLast = 0;
  const start = performance.now();
  for (let t = 1; t <= o.steps; t++) {
    for (let b = 0; b < o.batch; b++) {
      if (cursor === train.n) {
        shuffle(order, new Rng(o.seed, SHUFFLE_STREAM, epoch++));
        cursor = 0;
      }
      rows[b] = order[cursor++];
    }
    dequantizeRows(train, rows, { seed: o.seed, counter: t }, x.subarray(0, o.batch * CLASSIFIER_PIXELS));
    if (o.shift) shiftImages(x.subarray(0, o.batch * CLASSIFIER_PIXELS), o.shift, new Rng(o.seed, SHIFT_STREAM, t));
    if (noiseRows > 0) new Rng(o.seed, NOISE_STREAM, t).fillUniform(x.subarray(o.batch * CLASSIFIER_PIXELS)).forEach((u, j, a) => (a[j] = 2 * u - 1));
    target.fill(0, 0, o.batch * CLASSIFIER_CLASSES);
    for (let b = 0; b < o.batch; b++) target[b * CLASSIFIER_CLASSES + train.labels[rows[b]]] = 1;
    const lr = 0.5 * o.lr * (1 + Math.cos((Math.PI * (t - 1)) / o.steps));
    const c2 = Math.sqrt(1 - BETA2 ** t);
    const adam = Float32Array.from([(lr * c2) / (1 - BETA1 ** t), ADAM_EPS * c2]);
    const out = await session.run({
      params: new ort.Tensor('float32', params, [P]),
      m: new ort.Tensor('float32', m, [P]),
      v: new ort.Tensor('float32', v, [P]),
      x: new ort.Tensor('float32', x, [rowsPerStep, 1, CLASSIFIER_SIDE, CLASSIFIER_SIDE]),
      target: new ort.Tensor('float32', target, [rowsPerStep, CLASSIFIER_CLASSES]),
      adam: new ort.Tensor('float32', adam, [2]),
    });
    params = out.params_out.data as Float32Array;
    m = out.m_out.data as Float32Array;
    v = out.v_out.data as Float32Array;
    losses[t - 1] = (out.loss.data as Float32Array)[0];
    sinceLast += losses[t - 1];
    if (o.onProgress && (t % every === 0 || t === o.steps)) {
      o.onProgress(t, sinceLast / (t % every === 0 ? every : t % every));
      sinceLast = 0;
    }
  }
  await session.release();
  return { params: Float32Array.from(params), seconds: (performance.now() - start) / 1000, losses };
}

/**
 * Moves each 28 x 28 image of `x` (rows of CLASSIFIER_PIXELS, training scale) by dx, dy drawn
 * uniformly from [-maxShift, maxShift]: out[i][j] = in[i - dy][j - dx], background (-1) where that
 * falls outside.
 */
export function shiftImages(x: Float32Array, maxShift: number, rng: Rng): void {
  const side = CLASSIFIER_SIDE;
  const tmp = new Float32Array(CLASSIFIER_PIXELS);
  for (let r = 0; r < x.length / CLASSIFIER_PIXELS; r++) {
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    if (dx === 0 && dy === 0) continue;
    const img = x.subarray(r * CLASSIFIER_PIXELS, (r + 1) * CLASSIFIER_PIXELS);
    tmp.fill(-1);
    for (let i = Math.max(0, dy); i < Math.min(side, side + dy); i++) {
      for (let j = Math.max(0, dx); j < Math.min(side, side + dx); j++) tmp[i * side + j] = img[(i - dy) * side + (j - dx)];
    }
    img.set(tmp);
  }
}

/** Fisher-Yates shuffle of 0..n-1 into `order`. */
function shuffle(order: Uint32Array, rng: Rng): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
}
