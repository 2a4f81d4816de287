/**
 * Velocity nets by kind: a kind is one module plus an entry here. Each entry gives the flat
 * parameter layout, the seeded initialiser, and v(t, x) from the flat parameter vector (what the
 * training, sampling and export programs need from a net).
 */
import type { Value } from '../onnx/graph.js';
import { initParams, mlpVelocity, paramLayout, unpackParams, type MlpSpec } from './mlp.js';
import { unetInitParams, unetParamLayout, unetUnpackParams, unetVelocity, type UnetSpec } from './unet.js';

export interface NetModule<S> {
  /** Named tensors at offsets of one flat Float32 vector of `total` entries. */
  layout(spec: S): { slots: { name: string; shape: readonly number[]; offset: number; size: number }[]; total: number };
  init(spec: S, seed: number): Float32Array;
  /** v(t, x) for a batch, the parameters read from `flat` [total]. */
  velocity(spec: S, flat: Value, x: Value, t: Value): Value;
}

export interface NetSpecs {
  mlp: MlpSpec;
  unet: UnetSpec;
}

export type NetKind = keyof NetSpecs;

export const NETS: { [K in NetKind]: NetModule<NetSpecs[K]> } = {
  mlp: {
    layout: paramLayout,
    init: initParams,
    velocity: (spec, flat, x, t) => mlpVelocity(spec, unpackParams(spec, flat), x, t),
  },
  unet: {
    layout: unetParamLayout,
    init: unetInitParams,
    velocity: (spec, flat, x, t) => unetVelocity(spec, unetUnpackParams(spec, flat), x, t),
  },
};

export function netModule<K extends NetKind>(kind: K): NetModule<NetSpecs[K]> {
  return NETS[kind];
}
