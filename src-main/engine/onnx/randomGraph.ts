/**
 * The counter-based generator of `engine/random.ts`, built from uint32 ONNX ops so a training
 * program draws its own randomness inside the Loop: every draw is a function of
 * (seed, stream, step, index), bit-identical to the TypeScript `Rng` for uniforms and integers.
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

/** key(seed, stream, counter) = lowbias32(lowbias32(seed ^ lowbias32(stream)) ^ counter); seed, counter uint32 scalars. */
export function streamKeyGraph(seed: Value, stream: number, counter: Value): Value {
  const g = counter.graph;
  const s = lowbias32Graph(op.bitwiseXor(seed, g.scalar(lowbias32(stream), 'uint32')));
  return lowbias32Graph(op.bitwiseXor(s, counter));
}

/** Hash bits for indices 0..count-1 under `key`: lowbias32(lowbias32(i) ^ key). lowbias32(i) is a constant. */
export function hashBitsGraph(g: Graph, key: Value, count: number): Value {
  const pre = new Uint32Array(count);
  for (let i = 0; i < count; i++) pre[i] = lowbias32(i);
  return lowbias32Graph(op.bitwiseXor(g.constant(pre, 'uint32', [count]), key));
}

/** Uniforms in (0, 1), float32, shape [count]: ((bits >> 8) + 0.5) 2^-24. */
export function uniformGraph(g: Graph, key: Value, count: number): Value {
  const top = op.cast(op.shiftRight(hashBitsGraph(g, key, count), 8), 'float32');
  return op.mul(op.add(top, 0.5), UNIFORM_SCALE);
}

/**
 * Standard normals, shape [count] (count even), by Box-Muller on consecutive pairs as `Rng.normal`:
 * z[2j] = r cos(2 pi u[2j+1]), z[2j+1] = r sin(2 pi u[2j+1]), r = sqrt(-2 ln u[2j]).
 */
export function normalGraph(g: Graph, key: Value, count: number): Value {
  if (count % 2 !== 0) throw new Error('normalGraph needs an even count');
  const u = op.reshape(uniformGraph(g, key, count), [count / 2, 2]);
  const r = op.sqrt(op.mul(op.log(op.slice(u, [0], [1], [1])), -2));
  const theta = op.mul(op.slice(u, [1], [2], [1]), 2 * Math.PI);
  return op.reshape(op.concat([op.mul(r, op.cos(theta)), op.mul(r, op.sin(theta))], 1), [count]);
}

/** Integers in [0, n), int64, shape [count]: bits mod n (bias below n / 2^32, negligible for n <= 1e7). */
export function indexGraph(g: Graph, key: Value, count: number, n: number): Value {
  return op.cast(op.mod(hashBitsGraph(g, key, count), g.scalar(n, 'uint32')), 'int64');
}
