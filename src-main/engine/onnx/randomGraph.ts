/**
 * The counter-based generator of `engine/random.ts` built from uint32 ONNX ops, so a training
 * program draws its own randomness: bits(key, i) = lowbias32(lowbias32(i) ^ key), bit-identical
 * to the TypeScript `hashBits`. The per-step key is computed on the host
 * (`streamKey(seed, stream, step)`); lowbias32(i) is a constant of the program. A chunk's keys
 * [k, 1] give all k steps' bits [k, count] in one pass.
 */
import { LOWBIAS_M1, LOWBIAS_M2, UNIFORM_SCALE, lowbias32 } from '../random.js';
import type { Graph, Value } from './graph.js';
import * as op from './ops/index.js';

export function lowbias32Graph(x: Value): Value {
  const g = x.graph;
  x = op.bitwiseXor(x, op.shiftRight(x, 16));
  x = op.mul(x, g.scalar(LOWBIAS_M1, 'uint32'));
  x = op.bitwiseXor(x, op.shiftRight(x, 15));
  x = op.mul(x, g.scalar(LOWBIAS_M2, 'uint32'));
  return op.bitwiseXor(x, op.shiftRight(x, 16));
}

/** Hash bits for indices 0..count-1 under `key` (uint32 scalar: [count]; or keys [k, 1]: [k, count]). */
export function hashBitsGraph(g: Graph, key: Value, count: number): Value {
  const pre = new Uint32Array(count);
  for (let i = 0; i < count; i++) pre[i] = lowbias32(i);
  return lowbias32Graph(op.bitwiseXor(g.constant(pre, 'uint32', [count]), key));
}

/** Uniforms in (0, 1), float32: ((bits >> 8) + 0.5) 2^-24. */
export function uniformFromBits(bits: Value): Value {
  return op.mul(op.add(op.cast(op.shiftRight(bits, 8), 'float32'), 0.5), UNIFORM_SCALE);
}

/**
 * Standard normals from an even number of uniforms by Box-Muller on consecutive pairs, as
 * `Rng.normal`: z[2j] = r cos(2 pi u[2j+1]), z[2j+1] = r sin(2 pi u[2j+1]), r = sqrt(-2 ln u[2j]).
 */
export function normalFromUniforms(u: Value): Value {
  const count = u.staticShape()[0];
  if (count % 2 !== 0) throw new Error('Box-Muller needs an even number of uniforms');
  const pairs = op.reshape(u, [count / 2, 2]);
  const r = op.sqrt(op.mul(op.log(op.slice(pairs, [0], [1], [1])), -2));
  const theta = op.mul(op.slice(pairs, [1], [2], [1]), 2 * Math.PI);
  return op.reshape(op.concat([op.mul(r, op.cos(theta)), op.mul(r, op.sin(theta))], 1), [count]);
}

/** Integers in [0, n), int64: bits mod n (bias below n / 2^32, negligible for n <= 1e7). */
export function indexFromBits(bits: Value, n: number): Value {
  return op.cast(op.mod(bits, bits.graph.scalar(n, 'uint32')), 'int64');
}
