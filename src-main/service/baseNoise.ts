/**
 * The base noise a sampling starts from. The gallery draws n images from one seed as
 * Rng(seed, SAMPLE_STREAM) normals, image i from values i d .. (i + 1) d; "a seed's noise" is the
 * first of them, so a seed's image in an interpolated row is the first image of that seed's
 * gallery. A call may also give the noise itself, or ask for a slerp between two seeds.
 */
import { UserError } from '../errors.js';
import { Rng } from '../engine/random.js';
import { slerpRow } from '../engine/sample/slerp.js';
import type { NoiseSpec } from '../api/schemas.js';

/** Stream of the base draws for sampling (distinct from every training stream). */
export const SAMPLE_STREAM = 0x53414d50; // "SAMP"

/** n base draws of dimension d from a seed: the gallery's noise. */
export function baseNoise(seed: number, n: number, d: number): Float32Array {
  return new Rng(seed, SAMPLE_STREAM).fillNormal(new Float32Array(n * d)) as Float32Array;
}

/**
 * The starting points a noise spec names, [n, d]: n slerp points between the noise of two seeds
 * (engine/sample/slerp.ts), or the values given. Needs a Gaussian base.
 */
export function noiseFromSpec(spec: NoiseSpec, n: number, d: number, base: string): Float32Array {
  if (base !== 'gaussian') throw new UserError(`noise applies to runs with a Gaussian base; this run's base is '${base}'`, 'noise');
  if (spec.kind === 'slerp') {
    if (n < 2) throw new UserError(`n must be at least 2 to interpolate between two seeds, got ${n}`, 'n');
    const [a, b] = spec.seeds;
    return slerpRow(baseNoise(a, 1, d), baseNoise(b, 1, d), n);
  }
  if (spec.values.length !== n * d) {
    throw new UserError(`noise.values holds ${spec.values.length} numbers, expected n x d = ${n} x ${d} = ${n * d}`, 'noise.values');
  }
  for (let i = 0; i < spec.values.length; i++) {
    if (!Number.isFinite(spec.values[i])) throw new UserError(`noise.values[${i}] is ${spec.values[i]}; every value must be finite`, 'noise.values');
  }
  return spec.values;
}
