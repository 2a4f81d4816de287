import { UserError } from '../../errors.js';
import { Rng } from '../random.js';
import { asFloat64, checkSamples, type Samples } from './pointCloud.js';

/** Default number of directions: Monte Carlo error over directions ~ 1/sqrt(128) of the spread across directions. */
export const SLICED_W2_PROJECTIONS = 128;
/** A Gaussian draw shorter than this after Gram-Schmidt is redrawn (it would give no direction). */
const DEGENERATE_NORM = 1e-9;

export interface SlicedW2Options {
  /** Number of random directions L (default SLICED_W2_PROJECTIONS). */
  projections?: number;
  /** Seed of the directions (`new Rng(seed)`, default 0): same seed, same directions. */
  seed?: number;
}

/**
 * Sliced Wasserstein-2 distance between two samples:
 *
 *   SW2(x, y) = sqrt( (1/L) sum_l W2^2(theta_l . x, theta_l . y) )
 *
 * where theta_l are unit directions, uniform on the sphere S^{d-1}, and W2^2 between the two 1-D
 * projected samples is the exact integral of the squared difference of their empirical quantile
 * functions (w2SquaredSorted1d; with nx = ny it is the mean squared difference of the sorted
 * projections). Returned: that square root, on the scale of a distance. Note the usual sphere
 * average: for a pure translation by m, E_theta (theta . m)^2 = |m|^2 / d, so SW2 -> |m| / sqrt(d).
 * The directions come in orthonormal blocks of d (Gram-Schmidt on Gaussian vectors), each
 * direction still uniform, so a translation contributes exactly |m|^2 / d per full block and the
 * Monte Carlo error over directions is small. In d = 1 one direction is exact and used alone.
 * Cost O(L (nx + ny)(d + log n)).
 */
export function slicedW2(
  x: Samples,
  nx: number,
  y: Samples,
  ny: number,
  d: number,
  opts: SlicedW2Options = {},
): number {
  checkSamples('x', x, nx, d);
  checkSamples('y', y, ny, d);
  const requested = opts.projections ?? SLICED_W2_PROJECTIONS;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new UserError(`sliced W2 projections must be a positive integer, got ${requested}`);
  }
  const projections = d === 1 ? 1 : requested;
  const directions = orthonormalDirections(projections, d, opts.seed ?? 0);
  const a = asFloat64(x);
  const b = asFloat64(y);
  const pa = new Float64Array(nx);
  const pb = new Float64Array(ny);
  let total = 0;
  for (let l = 0; l < projections; l++) {
    project(a, nx, d, directions, l, pa);
    project(b, ny, d, directions, l, pb);
    pa.sort();
    pb.sort();
    total += w2SquaredSorted1d(pa, pb);
  }
  return Math.sqrt(total / projections);
}

/** out[i] = theta_l . p_i, theta_l = row l of the [L, d] direction matrix. */
function project(p: Float64Array, n: number, d: number, directions: Float64Array, l: number, out: Float64Array): void {
  const t = l * d;
  for (let i = 0; i < n; i++) {
    const r = i * d;
    let s = 0;
    for (let c = 0; c < d; c++) s += p[r + c] * directions[t + c];
    out[i] = s;
  }
}

/**
 * L unit vectors [L, d] in blocks of d mutually orthogonal ones: each block is Gram-Schmidt applied
 * to d standard Gaussian vectors (a uniformly random orthonormal frame).
 */
export function orthonormalDirections(count: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(count * d);
  for (let l = 0; l < count; l++) {
    const blockStart = l - (l % d);
    const row = l * d;
    for (;;) {
      for (let c = 0; c < d; c++) out[row + c] = rng.normal();
      for (let q = blockStart; q < l; q++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += out[row + c] * out[q * d + c];
        for (let c = 0; c < d; c++) out[row + c] -= dot * out[q * d + c];
      }
      let norm2 = 0;
      for (let c = 0; c < d; c++) norm2 += out[row + c] * out[row + c];
      const norm = Math.sqrt(norm2);
      if (norm > DEGENERATE_NORM) {
        for (let c = 0; c < d; c++) out[row + c] /= norm;
        break;
      }
    }
  }
  return out;
}

/**
 * Squared 2-Wasserstein distance between two 1-D empirical distributions given as sorted samples
 * (uniform weights 1/na and 1/nb):
 *
 *   W2^2 = integral_0^1 (Qa(u) - Qb(u))^2 du,   Qa(u) = a_i for u in (i/na, (i+1)/na]
 *
 * The quantile functions are step functions, so the integral is a sum over the merged breakpoints
 * {i/na} ∪ {j/nb}, done in integer units of 1/(na nb) so coinciding breakpoints are met exactly.
 */
export function w2SquaredSorted1d(a: Float64Array, b: Float64Array): number {
  const na = a.length;
  const nb = b.length;
  if (na === nb) {
    let s = 0;
    for (let i = 0; i < na; i++) {
      const diff = a[i] - b[i];
      s += diff * diff;
    }
    return s / na;
  }
  let i = 0;
  let j = 0;
  let at = 0;
  let s = 0;
  while (i < na && j < nb) {
    const endA = (i + 1) * nb; // (i+1)/na in units of 1/(na nb)
    const endB = (j + 1) * na;
    const end = endA < endB ? endA : endB;
    const diff = a[i] - b[j];
    s += (end - at) * diff * diff;
    at = end;
    if (endA === end) i++;
    if (endB === end) j++;
  }
  return s / (na * nb);
}
