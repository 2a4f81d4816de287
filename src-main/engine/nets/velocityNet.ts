/**
 * A velocity net of any kind seen the one way the flow sees it: on flat rows x [n, D], D the
 * product of the sample shape (2-D points: [d]; images: [C, H, W]). Solvers, likelihoods and
 * exports work on flat rows; a U-Net reshapes them to [n, C, H, W] inside the graph, which
 * costs no copy. The spec records the sample shape, so nothing guesses it from a parameter count.
 * Layouts and initialisers are the registry's (registry.ts); what is here is the flat view.
 */
import type { NetConfig } from '../../api/config.js';
import type { Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { mlpVelocity, unpackParams, type MlpSpec } from './mlp.js';
import { netModule, type NetModule } from './registry.js';
import { checkUnetSpec, unetParamLayout, unetUnpackParams, unetVelocity, type UnetSpec } from './unet.js';

/** Every kind carries `dim`, the values per sample D (for a U-Net C H W). */
export type NetSpec = (MlpSpec & { kind?: 'mlp'; shape?: number[] }) | (UnetSpec & { kind: 'unet'; dim: number });

/** The net for samples of `shape` ([d] for points, [C, H, W] for images) from the config's net. */
export function netSpecFor(net: NetConfig, shape: readonly number[]): NetSpec {
  // an MLP on images sees them flattened, but the samples keep their shape
  if (net.kind === 'mlp') return { ...net, dim: shape.reduce((a, b) => a * b, 1), ...(shape.length > 1 ? { shape: [...shape] } : {}) };
  if (shape.length !== 3) throw new Error(`a U-Net needs images [C, H, W], got samples of shape [${shape.join(', ')}]`);
  const [channels, height, width] = shape;
  const spec: NetSpec = { ...net, channels, height, width, channelMults: [...net.channelMults], dim: channels * height * width };
  checkUnetSpec(spec);
  return spec;
}

export const isUnet = (spec: NetSpec): spec is UnetSpec & { kind: 'unet'; dim: number } => spec.kind === 'unet';

/** One sample's shape: [d], or [C, H, W]. */
export function sampleShape(spec: NetSpec): number[] {
  return isUnet(spec) ? [spec.channels, spec.height, spec.width] : spec.shape ? [...spec.shape] : [spec.dim];
}

/** Values per sample, D. */
export function netDim(spec: NetSpec): number {
  return isUnet(spec) ? spec.channels * spec.height * spec.width : spec.dim;
}

/** The kind's registry entry (layout and initialiser are the registry's). */
function moduleOf(spec: NetSpec): NetModule<NetSpec> {
  return netModule(spec.kind ?? 'mlp') as unknown as NetModule<NetSpec>;
}

export function netParamCount(spec: NetSpec): number {
  return moduleOf(spec).layout(spec).total;
}

export function netInitParams(spec: NetSpec, seed: number): Float32Array {
  return moduleOf(spec).init(spec, seed);
}

/** Named parameter tensors with their layout, for exports that bake the weights in. */
/**
 * Rows per program call: the MLP's own count, and for a U-Net a small batch (its activations
 * take ~C H W x channels x blocks floats per image, tens of MB for 64 MNIST images).
 */
export function rowsPerCall(spec: NetSpec, mlpRows: number): number {
  return isUnet(spec) ? Math.min(mlpRows, UNET_ROWS_PER_CALL) : mlpRows;
}
export const UNET_ROWS_PER_CALL = 64;

export function netSlots(spec: NetSpec): { name: string; shape: readonly number[]; offset: number; size: number }[] {
  return moduleOf(spec).layout(spec).slots;
}

/** A flat field on a graph: v(x [n, D], t [n, 1]) -> [n, D]. */
export type FlatField = (x: Value, t: Value) => Value;

/**
 * The net's field with its parameters taken from tensors: `flat` [P] (sliced apart once, here,
 * outside any Loop body that calls the field), or named tensors `byName` (baked weights).
 */
export function netField(spec: NetSpec, flat: Value): FlatField {
  if (!isUnet(spec)) {
    const layers = unpackParams(spec, flat);
    return (x, t) => mlpVelocity(spec, layers, x, t);
  }
  return unetFieldFrom(spec, unetUnpackParams(spec, flat));
}

/**
 * The parameter tensors sliced from `flat` (what a training program differentiates by, in layout
 * order) and the field that reads them.
 */
export function netTensors(spec: NetSpec, flat: Value): { tensors: Value[]; field: FlatField } {
  if (!isUnet(spec)) {
    const layers = unpackParams(spec, flat);
    return { tensors: layers, field: (x, t) => mlpVelocity(spec, layers, x, t) };
  }
  const params = unetUnpackParams(spec, flat);
  return { tensors: [...params.values()], field: unetFieldFrom(spec, params) };
}

/** The U-Net's flat field from its named parameter tensors. */
export function unetFieldFrom(spec: UnetSpec, params: Map<string, Value>): FlatField {
  const D = spec.channels * spec.height * spec.width;
  return (x, t) => op.reshape(unetVelocity(spec, params, op.reshape(x, [-1, spec.channels, spec.height, spec.width]), t), [-1, D]);
}

/** The field from named constant tensors in layout order (MLP: its layer list; U-Net: by name). */
export function netFieldFromSlots(spec: NetSpec, tensors: Value[]): FlatField {
  if (!isUnet(spec)) return (x, t) => mlpVelocity(spec, tensors, x, t);
  const slots = unetParamLayout(spec).slots;
  return unetFieldFrom(spec, new Map(slots.map((s, i) => [s.name, tensors[i]])));
}
