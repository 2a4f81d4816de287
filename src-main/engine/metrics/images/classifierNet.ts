/**
 * The digit classifier behind the image metrics: a small net on 28 x 28 gray images in the flows'
 * training scale x = 2 y - 1 (y in [0, 1] the pixel scale), written with FlowLab's graph builder.
 *
 *   mlp:  x [N, 784] -> (Gemm, ReLU) per hidden layer -> features h [N, F] -> Gemm -> logits [N, 10]
 *   cnn:  x [N, 1, 28, 28] -> (3x3 Conv stride 2 pad 1, ReLU) per entry of `channels`
 *         -> flatten -> Gemm, ReLU -> features h [N, F] -> Gemm -> logits [N, 10]
 *
 * The features (the last hidden layer, after its ReLU) are what the Frechet distance compares.
 * All parameters live in one flat Float32 vector (slots below), as the velocity MLP's do.
 */
import { Graph, type Value } from '../../onnx/graph.js';
import * as op from '../../onnx/ops/index.js';
import { serializeModel } from '../../onnx/serialize.js';
import { Rng } from '../../random.js';

export const CLASSIFIER_SIDE = 28;
export const CLASSIFIER_PIXELS = CLASSIFIER_SIDE * CLASSIFIER_SIDE;
export const CLASSIFIER_CLASSES = 10;
/** Stream of the classifier's initial weights, apart from every other stream a seed feeds. */
const INIT_STREAM = 0xc1a5_0001;

export type ClassifierSpec = { kind: 'mlp'; hidden: number[] } | { kind: 'cnn'; channels: number[]; hidden: number };

interface Slot {
  shape: number[];
  offset: number;
  size: number;
  fanIn: number;
}

/** Feature dimension F: the width of the last hidden layer. */
export function featureDim(spec: ClassifierSpec): number {
  return spec.kind === 'mlp' ? spec.hidden[spec.hidden.length - 1] : spec.hidden;
}

/** Side of the feature map after the stride-2 convolutions (28 -> 14 -> 7 -> 4). */
function convSide(levels: number): number {
  let s = CLASSIFIER_SIDE;
  for (let l = 0; l < levels; l++) s = Math.floor((s + 2 - 3) / 2) + 1;
  return s;
}

/** Weight and bias slots in order: each layer's weight then its bias. */
export function classifierLayout(spec: ClassifierSpec): { slots: Slot[]; total: number } {
  const shapes: { w: number[]; fanIn: number }[] = [];
  let dense: number[];
  if (spec.kind === 'mlp') dense = [CLASSIFIER_PIXELS, ...spec.hidden, CLASSIFIER_CLASSES];
  else {
    let cin = 1;
    for (const c of spec.channels) {
      shapes.push({ w: [c, cin, 3, 3], fanIn: cin * 9 });
      cin = c;
    }
    const side = convSide(spec.channels.length);
    dense = [cin * side * side, spec.hidden, CLASSIFIER_CLASSES];
  }
  for (let l = 0; l + 1 < dense.length; l++) shapes.push({ w: [dense[l], dense[l + 1]], fanIn: dense[l] });
  const slots: Slot[] = [];
  let offset = 0;
  for (const { w, fanIn } of shapes) {
    const size = w.reduce((a, b) => a * b, 1);
    slots.push({ shape: w, offset, size, fanIn });
    offset += size;
    const bias = spec.kind === 'cnn' && w.length === 4 ? w[0] : w[1];
    slots.push({ shape: [bias], offset, size: bias, fanIn });
    offset += bias;
  }
  return { slots, total: offset };
}

/** Seeded initialisation: every weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default). */
export function initClassifier(spec: ClassifierSpec, seed: number): Float32Array {
  const { slots, total } = classifierLayout(spec);
  const p = new Float32Array(total);
  const rng = new Rng(seed, INIT_STREAM);
  for (const s of slots) {
    const bound = 1 / Math.sqrt(s.fanIn);
    for (let i = 0; i < s.size; i++) p[s.offset + i] = (2 * rng.uniform() - 1) * bound;
  }
  return p;
}

/** Views of the flat parameter vector as the layer tensors (Slice + Reshape). */
export function unpackClassifier(spec: ClassifierSpec, flat: Value): Value[] {
  return classifierLayout(spec).slots.map((s) => op.reshape(op.slice(flat, [s.offset], [s.offset + s.size], [0]), s.shape));
}

/** The layers as initializers of `g` (an exported model carries its weights). */
export function classifierConstants(spec: ClassifierSpec, g: Graph, params: Float32Array): Value[] {
  return classifierLayout(spec).slots.map((s) => g.constant(params.slice(s.offset, s.offset + s.size), 'float32', s.shape));
}

/** Logits [N, 10] and features [N, F] of images x [N, 1, 28, 28] in the training scale [-1, 1]. */
export function classifierForward(spec: ClassifierSpec, layers: Value[], x: Value): { logits: Value; features: Value } {
  let k = 0;
  let h = x;
  if (spec.kind === 'cnn') {
    for (let l = 0; l < spec.channels.length; l++, k += 2) h = op.relu(op.conv2d(h, layers[k], { pad: 1, stride: 2, bias: layers[k + 1] }));
  }
  h = op.reshape(h, [0, (h.shape.slice(1) as number[]).reduce((a, b) => a * b, 1)]);
  const dense = (layers.length - k) / 2;
  for (let l = 0; l + 1 < dense; l++, k += 2) h = op.relu(op.gemm(h, layers[k], layers[k + 1]));
  return { logits: op.gemm(h, layers[k], layers[k + 1]), features: h };
}

/**
 * The shipped model: input `x` [N, 1, 28, 28] float32 in [-1, 1], outputs `logits` [N, 10] and
 * `features` [N, F]; the weights are initializers, so any ONNX runtime can run it.
 */
export function classifierModel(spec: ClassifierSpec, params: Float32Array): Uint8Array {
  const g = new Graph('digit_classifier');
  const x = g.input('x', 'float32', ['N', 1, CLASSIFIER_SIDE, CLASSIFIER_SIDE]);
  const { logits, features } = classifierForward(spec, classifierConstants(spec, g, params), x);
  g.setNamedOutputs({ logits, features });
  return serializeModel(g);
}
