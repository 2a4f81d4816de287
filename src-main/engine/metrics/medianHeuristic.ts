import { UserError } from '../../errors.js';
import { Rng } from '../random.js';
import { asFloat64, checkSamples, squaredDistance, type Samples } from './pointCloud.js';

/** Points of the pooled sample used for the median: 1000 points give ~5e5 pairs, a median stable to ~0.1%. */
export const MEDIAN_SUBSAMPLE = 1000;

/**
 * The median heuristic for kernel bandwidths: the median of |p_i - p_j| over pairs i < j of the
 * pooled sample p = x ∪ y. When nx + ny > maxPoints, the median is taken over a uniform subsample
 * of maxPoints pooled points drawn without replacement with `new Rng(seed)`. For an even number of
 * pairs it is the mean of the two middle distances.
 */
export function medianPairwiseDistance(
  x: Samples,
  nx: number,
  y: Samples,
  ny: number,
  d: number,
  maxPoints = MEDIAN_SUBSAMPLE,
  seed = 0,
): number {
  checkSamples('x', x, nx, d);
  checkSamples('y', y, ny, d);
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new UserError(`median subsample must be an integer >= 2, got ${maxPoints}`);
  }
  const pooled = pooledSubsample(asFloat64(x), nx, asFloat64(y), ny, d, maxPoints, seed);
  const m = pooled.length / d;
  const squared = new Float64Array((m * (m - 1)) / 2);
  let p = 0;
  for (let i = 1; i < m; i++) {
    for (let j = 0; j < i; j++) squared[p++] = squaredDistance(pooled, i, pooled, j, d);
  }
  return Math.sqrt(median(squared));
}

/** min(maxPoints, nx + ny) pooled points, all of them in order when they fit, else a seeded draw. */
function pooledSubsample(
  a: Float64Array,
  na: number,
  b: Float64Array,
  nb: number,
  d: number,
  maxPoints: number,
  seed: number,
): Float64Array {
  const total = na + nb;
  const m = Math.min(total, maxPoints);
  const out = new Float64Array(m * d);
  if (m === total) {
    out.set(a, 0);
    out.set(b, na * d);
    return out;
  }
  // Partial Fisher-Yates: the first m entries of `order` become a uniform draw without replacement.
  const order = new Int32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  const rng = new Rng(seed);
  for (let i = 0; i < m; i++) {
    const k = i + rng.int(total - i);
    const picked = order[k];
    order[k] = order[i];
    order[i] = picked;
    const src = picked < na ? a : b;
    const row = picked < na ? picked : picked - na;
    for (let c = 0; c < d; c++) out[i * d + c] = src[row * d + c];
  }
  return out;
}

/** Median of `values` (reordered in place): the middle value, or the mean of the two middle ones. */
export function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) throw new UserError('median of an empty set: pass at least two points');
  const hi = n >> 1;
  const upper = selectKth(values, hi);
  if (n % 2 === 1) return upper;
  // After selection every entry left of `hi` is <= upper; the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < hi; i++) if (values[i] > lower) lower = values[i];
  return 0.5 * (lower + upper);
}

/**
 * Quickselect (Hoare partition, median-of-three pivot): reorders `values` so that values[k] is the
 * k-th smallest, entries before it are <= it and entries after it are >= it; returns values[k].
 */
export function selectKth(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const pivot = medianOfThree(values[lo], values[mid], values[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    // Now [lo, j] <= pivot <= [i, hi], and entries strictly between j and i equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
