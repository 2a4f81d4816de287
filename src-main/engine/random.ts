/**
 * Counter-based random numbers: every draw is a pure function of (seed, stream, counter, index),
 * so a run's randomness is reproducible, resumable at any step, and identical between this
 * TypeScript code and the in-graph generator (`engine/onnx/randomGraph.ts`), which builds the
 * same hash from uint32 ONNX ops.
 *
 *   lowbias32(x): x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16
 *   key(seed, stream, counter) = lowbias32(lowbias32(seed ^ lowbias32(stream)) ^ counter)
 *   bits(key, i)               = lowbias32(lowbias32(i) ^ key)
 *   uniform                    = ((bits >>> 8) + 0.5) * 2^-24        in (0, 1), exact in float32
 *   normal pairs by Box-Muller from two uniforms of consecutive indices 2j, 2j+1.
 */

export const LOWBIAS_M1 = 0x7feb352d;
export const LOWBIAS_M2 = 0x846ca68b;
/** 2^-24: a uniform keeps the top 24 bits of a hash, exactly representable in float32. */
export const UNIFORM_SCALE = 1 / 16777216;

export function lowbias32(x: number): number {
  x = x >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, LOWBIAS_M1) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, LOWBIAS_M2) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

export function streamKey(seed: number, stream: number, counter: number): number {
  return lowbias32((lowbias32((seed ^ lowbias32(stream)) >>> 0) ^ counter) >>> 0);
}

export function hashBits(key: number, index: number): number {
  return lowbias32((lowbias32(index) ^ key) >>> 0);
}

export function bitsToUniform(bits: number): number {
  return ((bits >>> 8) + 0.5) * UNIFORM_SCALE;
}

/** A sequential generator over one (seed, stream): draw k uses counter `counter`, index k. */
export class Rng {
  private index = 0;
  private spare: number | null = null;
  private readonly key: number;

  constructor(seed: number, stream = 0, counter = 0) {
    this.key = streamKey(seed >>> 0, stream >>> 0, counter >>> 0);
  }

  uniform(): number {
    return bitsToUniform(hashBits(this.key, this.index++));
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n) % n;
  }

  fillNormal(out: Float32Array | Float64Array): typeof out {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  fillUniform(out: Float32Array | Float64Array): typeof out {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform();
    return out;
  }
}

/** A fresh random 31-bit seed for runs whose user gave none (recorded with the run). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
