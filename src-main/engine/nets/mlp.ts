/**
 * The velocity net: an MLP on [x, t, sin(2 pi k t), cos(2 pi k t) (k = 1..F)] with `depth` hidden
 * layers of `width` units and the chosen activation, output of the data dimension d.
 * All parameters live in one flat Float32 vector (layout below), so the optimizer, the EMA and
 * the checkpoints handle one array, and the training program updates it with a few big ops.
 */
import type { Activation, MlpNetConfig } from '../../api/config.js';
import type { Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { Rng } from '../random.js';

export interface MlpSpec extends Omit<MlpNetConfig, 'kind'> {
  kind?: 'mlp';
  /** Data dimension d (input and output). */
  dim: number;
}

export interface ParamSlot {
  name: string;
  shape: [number] | [number, number];
  offset: number;
  size: number;
  fanIn: number;
}

export function featureCount(spec: MlpSpec): number {
  return spec.dim + 1 + 2 * spec.timeFrequencies;
}

/** Layer sizes [features, width x depth, dim]. */
export function layerSizes(spec: MlpSpec): number[] {
  return [featureCount(spec), ...Array<number>(spec.depth).fill(spec.width), spec.dim];
}

export function paramLayout(spec: MlpSpec): { slots: ParamSlot[]; total: number } {
  const sizes = layerSizes(spec);
  const slots: ParamSlot[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fin, fout] = [sizes[l], sizes[l + 1]];
    slots.push({ name: `w${l}`, shape: [fin, fout], offset, size: fin * fout, fanIn: fin });
    offset += fin * fout;
    slots.push({ name: `b${l}`, shape: [fout], offset, size: fout, fanIn: fin });
    offset += fout;
  }
  return { slots, total: offset };
}

/** FLOPs of one forward pass per sample (multiply-adds counted as 2). */
export function forwardFlopsPerSample(spec: MlpSpec): number {
  const s = layerSizes(spec);
  let f = 0;
  for (let l = 0; l + 1 < s.length; l++) f += 2 * s[l] * s[l + 1];
  return f;
}

/** Seeded initialisation: every weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's Linear default). */
export function initParams(spec: MlpSpec, seed: number): Float32Array {
  const { slots, total } = paramLayout(spec);
  const p = new Float32Array(total);
  const rng = new Rng(seed, 1000);
  for (const s of slots) {
    const bound = 1 / Math.sqrt(s.fanIn);
    for (let i = 0; i < s.size; i++) p[s.offset + i] = (2 * rng.uniform() - 1) * bound;
  }
  return p;
}

/** Views of the flat vector as the per-layer tensors (Slice + Reshape in the graph). */
export function unpackParams(spec: MlpSpec, flat: Value): Value[] {
  return paramLayout(spec).slots.map((s) => op.reshape(op.slice(flat, [s.offset], [s.offset + s.size], [0]), [...s.shape]));
}

/** [t, sin(2 pi k t), cos(2 pi k t)] for k = 1..F; t has shape [n, 1]. */
export function timeFeatures(t: Value, frequencies: number): Value {
  if (frequencies === 0) return t;
  const g = t.graph;
  const freqs = Array.from({ length: frequencies }, (_, k) => 2 * Math.PI * (k + 1));
  const data = t.dtype === 'float64' ? Float64Array.from(freqs) : Float32Array.from(freqs);
  const arg = op.mul(t, g.constant(data, t.dtype, [1, frequencies]));
  return op.concat([t, op.sin(arg), op.cos(arg)], 1);
}

/** The net's input rows [x, time features of t] (`featureCount` columns); x [n, d], t [n, 1]. */
export function netInput(spec: MlpSpec, x: Value, t: Value): Value {
  return op.concat([x, timeFeatures(t, spec.timeFrequencies)], 1);
}

export function activate(x: Value, a: Activation): Value {
  switch (a) {
    case 'silu':
      return op.silu(x);
    case 'tanh':
      return op.tanh(x);
    case 'gelu':
      return op.gelu(x);
  }
}

/**
 * v(t, x) for a batch: x [n, d], t [n, 1]; `layers` as returned by `unpackParams` (or any
 * values of those shapes, e.g. initializers in an exported model).
 */
export function mlpVelocity(spec: MlpSpec, layers: Value[], x: Value, t: Value): Value {
  return mlpForward(spec, layers, netInput(spec, x, t));
}

/** The layers on given input rows h [n, featureCount] (as `netInput` makes them). */
export function mlpForward(spec: MlpSpec, layers: Value[], h: Value): Value {
  const nLayers = layers.length / 2;
  for (let l = 0; l < nLayers; l++) {
    h = op.gemm(h, layers[2 * l], layers[2 * l + 1]);
    if (l + 1 < nLayers) h = activate(h, spec.activation);
  }
  return h;
}
