import { Rng } from '../../../../src-main/engine/random.js';

/** n points of N(mean, I) in R^d, row-major, from `new Rng(seed)`; mean defaults to 0. */
export function gaussianSamples(n: number, d: number, seed: number, mean: readonly number[] = []): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) out[i * d + c] = rng.normal() + (mean[c] ?? 0);
  }
  return out;
}

/** The vector (0.5, 0, ..., 0) of length d: a mean shift of length 0.5. */
export function halfShift(d: number): number[] {
  const m = new Array<number>(d).fill(0);
  m[0] = 0.5;
  return m;
}
