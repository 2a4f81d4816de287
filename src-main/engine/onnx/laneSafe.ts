/**
 * Reproducible transcendental functions over a whole chunk of steps. ONNX Runtime's CPU kernels
 * for Sin, Cos, Log (and, conservatively, Sqrt) run SIMD packets over the bulk of a tensor and a
 * scalar routine over the remainder, and the two can differ in the last bit. A training program
 * that evaluates these once over [k, ...] values for all k steps of a chunk (instead of once per
 * step) would then give a step's draws bits that depend on k, and runs chunked differently would
 * part ways. `laneSafe(f)` pads each step's slice to a multiple of LANES elements, so every
 * element goes through the packet routine whatever k is, and slices the padding off again.
 * A per-step count that is already a multiple of LANES (batch 1024, say) costs nothing.
 */
import type { Value } from './graph.js';
import * as op from './ops/index.js';

/** A multiple of every SIMD width in use (16 floats for AVX-512), with room for unrolled loops. */
export const LANES = 64;

export type Unary = (x: Value) => Value;

export function laneSafe(f: Unary): Unary {
  return (x) => {
    if (x.rank < 2) return f(x);
    const rest = x.shape.slice(1);
    if (!rest.every((d): d is number => typeof d === 'number')) throw new Error(`laneSafe needs static trailing dimensions, got [${x.shape}]`);
    const n = rest.reduce((a, b) => a * b, 1);
    if (n % LANES === 0) return f(x);
    const flat = op.reshape(x, [0, n]);
    const padded = op.pad(flat, [0, 0, 0, Math.ceil(n / LANES) * LANES - n]);
    return op.reshape(op.slice(f(padded), [0], [n], [1]), [0, ...rest]);
  };
}

export interface Transcendentals {
  sin: Unary;
  cos: Unary;
  log: Unary;
  sqrt: Unary;
}

export const plainFns: Transcendentals = { sin: op.sin, cos: op.cos, log: op.log, sqrt: op.sqrt };
export const laneSafeFns: Transcendentals = { sin: laneSafe(op.sin), cos: laneSafe(op.cos), log: laneSafe(op.log), sqrt: laneSafe(op.sqrt) };
