import type { VelocityFn } from './types.js';

/**
 * Evaluates f(t, x) and copies the result into `out` (Float64, [n, d]), so the caller owns it even
 * when f reuses its output buffer. A result of the wrong length is a bug in f and fails loudly.
 */
export async function velocityInto(
  f: VelocityFn,
  t: number,
  x: Float64Array,
  n: number,
  d: number,
  out: Float64Array,
): Promise<Float64Array> {
  const v = await f(t, x, n, d);
  if (v.length !== n * d) {
    throw new Error(`velocity at t=${t} returned ${v.length} values; expected n*d = ${n}*${d} = ${n * d}`);
  }
  out.set(v);
  return out;
}

/** Evaluates f(t, x) into a fresh Float64Array [n, d]. */
export function velocityAt(f: VelocityFn, t: number, x: Float64Array, n: number, d: number): Promise<Float64Array> {
  return velocityInto(f, t, x, n, d, new Float64Array(n * d));
}

/** Wraps f so that every call is counted: `counted.calls` is the NFE so far. */
export function countCalls(f: VelocityFn): { fn: VelocityFn; calls: () => number } {
  let calls = 0;
  return {
    fn: (t, x, n, d) => {
      calls++;
      return f(t, x, n, d);
    },
    calls: () => calls,
  };
}

/** Checks the shape of a batch [n, d] given as a flat array; throws a one-line error otherwise. */
export function checkBatch(name: string, x: ArrayLike<number>, n: number, d: number): void {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) {
    throw new Error(`${name}: n and d must be positive integers (got n=${n}, d=${d})`);
  }
  if (x.length !== n * d) {
    throw new Error(`${name}: expected n*d = ${n * d} values, got ${x.length}`);
  }
}
