import { UserError } from '../../errors.js';
import { MEDIAN_SUBSAMPLE, medianPairwiseDistance } from './medianHeuristic.js';
import { asFloat64, checkSamples, type Samples } from './pointCloud.js';

/**
 * Default bandwidths as multiples of the median pairwise distance: 1/8 to 8 times the typical
 * spacing, so both fine and coarse structure count; powers of two make each kernel the fourth
 * power of the next wider one, so a pair costs one exp for all seven.
 */
export const MMD_MEDIAN_SCALES: readonly number[] = [0.125, 0.25, 0.5, 1, 2, 4, 8];

/** exp(-46) < 1e-20: kernel terms below this are dropped (MMD^2 moves by < 1e-18 with up to 20 bandwidths). */
const NEGLIGIBLE_EXPONENT = 46;
/** Relative tolerance for recognising a bandwidth ratio of exactly 2 (gamma ratio 4). */
const RATIO_TOLERANCE = 1e-12;

export interface MmdOptions {
  /**
   * Absolute RBF bandwidths sigma_s. When given, the median heuristic is not used, and the kernel
   * is the same for every pair of samples: use this to compare models against one data set.
   */
  bandwidths?: readonly number[];
  /** Bandwidths as multiples of the pooled median pairwise distance (default MMD_MEDIAN_SCALES). */
  medianScales?: readonly number[];
  /** Pooled points used to estimate the median (default MEDIAN_SUBSAMPLE). */
  medianSubsample?: number;
  /** Seed of the median subsample draw (default 0). */
  seed?: number;
}

export interface MmdResult {
  /** Unbiased estimate of MMD^2; can be slightly negative when the distributions agree. */
  mmd2: number;
  /** The bandwidths sigma_s the kernel used. */
  bandwidths: number[];
}

/**
 * Squared maximum mean discrepancy with a multi-bandwidth RBF kernel, unbiased U-statistic:
 *
 *   k(a, b) = sum_s exp(-|a - b|^2 / (2 sigma_s^2))
 *   MMD^2_u = 1/(nx(nx-1)) sum_{i != j} k(x_i, x_j) + 1/(ny(ny-1)) sum_{i != j} k(y_i, y_j)
 *             - 2/(nx ny) sum_{i,j} k(x_i, y_j)
 *
 * Bandwidths: `opts.bandwidths` when given (absolute), else sigma_s = scale_s * median |p_i - p_j|
 * over the pooled sample p (medianPairwiseDistance, subsampled for large n) with scale_s from
 * `opts.medianScales` (default MMD_MEDIAN_SCALES; [1] gives the plain median heuristic). The
 * median depends on both samples, so a model-vs-data and a data-vs-data value may use slightly
 * different kernels; pass fixed bandwidths when comparing values across models. The estimate has
 * mean exactly MMD^2 (0 for one distribution) and spread O(1/n). Cost O((nx + ny)^2 (d + S)).
 */
export function mmd(x: Samples, nx: number, y: Samples, ny: number, d: number, opts: MmdOptions = {}): MmdResult {
  checkSamples('x', x, nx, d, 2);
  checkSamples('y', y, ny, d, 2);
  const bandwidths = chooseBandwidths(x, nx, y, ny, d, opts);
  const terms = rbfTerms(bandwidths);
  const a = asFloat64(x);
  const b = asFloat64(y);
  const kxx = (2 * sumKernel(a, nx, a, nx, d, terms, true)) / (nx * (nx - 1));
  const kyy = (2 * sumKernel(b, ny, b, ny, d, terms, true)) / (ny * (ny - 1));
  const kxy = sumKernel(a, nx, b, ny, d, terms, false) / (nx * ny);
  return { mmd2: kxx + kyy - 2 * kxy, bandwidths };
}

function chooseBandwidths(x: Samples, nx: number, y: Samples, ny: number, d: number, opts: MmdOptions): number[] {
  if (opts.bandwidths !== undefined) {
    checkPositiveList('MMD bandwidths', opts.bandwidths);
    return [...opts.bandwidths];
  }
  const scales = opts.medianScales ?? MMD_MEDIAN_SCALES;
  checkPositiveList('MMD median scales', scales);
  const med = medianPairwiseDistance(x, nx, y, ny, d, opts.medianSubsample ?? MEDIAN_SUBSAMPLE, opts.seed ?? 0);
  if (!(med > 0)) {
    throw new UserError(
      `the median pairwise distance of the pooled samples is ${med} (mostly repeated points); pass fixed MMD bandwidths`,
    );
  }
  return scales.map((s) => s * med);
}

function checkPositiveList(what: string, values: readonly number[]): void {
  if (values.length === 0) throw new UserError(`${what} must list at least one value`);
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) throw new UserError(`${what} must be positive finite numbers, got ${v}`);
  }
}

/**
 * The kernel k(D) = sum_s exp(-D gamma_s), gamma_s = 1 / (2 sigma_s^2), of a squared distance D,
 * as tables for the pair loop: terms run from the widest bandwidth to the narrowest; a term whose
 * sigma is half the previous one is that term to the 4th power (two squarings instead of an exp).
 */
interface RbfTerms {
  gammas: Float64Array;
  /** fromPrevious[s] = 1: term s equals (term s-1)^4. */
  fromPrevious: Uint8Array;
}

function rbfTerms(bandwidths: readonly number[]): RbfTerms {
  const sorted = [...bandwidths].sort((p, q) => q - p);
  const fromPrevious = new Uint8Array(sorted.length);
  for (let s = 1; s < sorted.length; s++) {
    fromPrevious[s] = Math.abs(sorted[s - 1] / sorted[s] - 2) <= 2 * RATIO_TOLERANCE ? 1 : 0;
  }
  return { gammas: Float64Array.from(sorted, (s) => 1 / (2 * s * s)), fromPrevious };
}

/**
 * sum over pairs of k(|a_i - b_j|^2): all na x nb pairs, or only j < i when `belowDiagonal`
 * (a and b then the same sample). Once a term is negligible the narrower ones are too, so the
 * term loop stops there.
 */
function sumKernel(
  a: Float64Array,
  na: number,
  b: Float64Array,
  nb: number,
  d: number,
  terms: RbfTerms,
  belowDiagonal: boolean,
): number {
  const { gammas, fromPrevious } = terms;
  const nTerms = gammas.length;
  let total = 0;
  for (let i = 0; i < na; i++) {
    const end = belowDiagonal ? i : nb;
    const ia = i * d;
    let row = 0;
    for (let j = 0; j < end; j++) {
      const jb = j * d;
      let dist2 = 0;
      for (let c = 0; c < d; c++) {
        const diff = a[ia + c] - b[jb + c];
        dist2 += diff * diff;
      }
      let term = 1;
      for (let s = 0; s < nTerms; s++) {
        const exponent = dist2 * gammas[s];
        if (exponent > NEGLIGIBLE_EXPONENT) break;
        if (fromPrevious[s] === 1) {
          term *= term;
          term *= term;
        } else {
          term = Math.exp(-exponent);
        }
        row += term;
      }
    }
    total += row;
  }
  return total;
}

export interface MmdWithFloor {
  /** MMD^2 between the model's samples and data sample 1. */
  mmd2: number;
  /** MMD^2 between data sample 2 and data sample 1: what a perfect model would score. */
  floor: number;
  /** The one kernel's bandwidths, from the median heuristic on the two data samples. */
  bandwidths: number[];
}

/**
 * MMD^2 of model samples against data1 beside its calibration floor MMD^2(data2, data1), both under
 * one kernel: the bandwidths come from the pooled data samples alone (median heuristic, or
 * `opts.bandwidths`), so the value and its floor are comparable, and so are the values of two
 * models scored against the same data. All three samples have n points.
 */
export function mmdWithFloor(model: Samples, data1: Samples, data2: Samples, n: number, d: number, opts: MmdOptions = {}): MmdWithFloor {
  const floor = mmd(data2, n, data1, n, d, opts);
  const value = mmd(model, n, data1, n, d, { bandwidths: floor.bandwidths });
  return { mmd2: value.mmd2, floor: floor.mmd2, bandwidths: floor.bandwidths };
}
