import { UserError } from '../../errors.js';

/** Row-major samples [n, d]: point i occupies entries [i*d, (i+1)*d). */
export type Samples = Float32Array | Float64Array;

/** A sample with its shape, for functions that take several clouds at once. */
export interface PointCloud {
  points: Samples;
  n: number;
  d: number;
}

/**
 * Throws a UserError unless `points` holds exactly n points of dimension d (n >= minPoints).
 * `name` says which argument is wrong ("model samples", "x").
 */
export function checkSamples(name: string, points: Samples, n: number, d: number, minPoints = 1): void {
  if (!Number.isInteger(d) || d < 1) {
    throw new UserError(`dimension d must be a positive integer, got ${d}`);
  }
  if (!Number.isInteger(n) || n < minPoints) {
    throw new UserError(`${name} needs an integer number of points n >= ${minPoints}, got n = ${n}`);
  }
  if (points.length !== n * d) {
    throw new UserError(
      `${name} has ${points.length} values but n x d = ${n} x ${d} = ${n * d}; pass a row-major [n, d] array`,
    );
  }
}

/** The samples as a Float64Array (a copy only when they are Float32), so hot loops see one array type. */
export function asFloat64(points: Samples): Float64Array {
  return points instanceof Float64Array ? points : Float64Array.from(points);
}

/** Squared Euclidean distance between point i of a and point j of b: sum_k (a[i,k] - b[j,k])^2. */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  const ia = i * d;
  const jb = j * d;
  let s = 0;
  for (let k = 0; k < d; k++) {
    const diff = a[ia + k] - b[jb + k];
    s += diff * diff;
  }
  return s;
}
