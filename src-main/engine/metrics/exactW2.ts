import { UserError } from '../../errors.js';
import { solveAssignment } from './assignment.js';
import { asFloat64, checkSamples, squaredDistance, type Samples } from './pointCloud.js';

/** Largest sample for exact W2: O(n^3) time and an n x n Float64 cost matrix (32 MB at 2000). */
export const EXACT_W2_MAX_POINTS = 2000;

export interface ExactW2Result {
  /** sqrt( (1/n) sum_i |x_i - y_sigma(i)|^2 ) at the optimal sigma. */
  w2: number;
  /** The optimal sigma: assignment[i] = index of the y point matched to x_i. */
  assignment: Int32Array;
}

/**
 * Exact Wasserstein-2 distance between two samples of equal size n (uniform weights 1/n):
 *
 *   W2(x, y) = sqrt( min_sigma (1/n) sum_i |x_i - y_sigma(i)|^2 )
 *
 * over permutations sigma (Birkhoff: for equal uniform weights an optimal plan is a permutation),
 * solved as an assignment problem on the squared Euclidean cost matrix (solveAssignment).
 * n <= EXACT_W2_MAX_POINTS; use slicedW2 for larger samples.
 */
export function exactW2(x: Samples, nx: number, y: Samples, ny: number, d: number): ExactW2Result {
  checkSamples('x', x, nx, d);
  checkSamples('y', y, ny, d);
  if (nx !== ny) {
    throw new UserError(`exact W2 needs samples of equal size, got ${nx} and ${ny}; subsample the larger one`);
  }
  const n = nx;
  if (n > EXACT_W2_MAX_POINTS) {
    throw new UserError(
      `exact W2 is limited to ${EXACT_W2_MAX_POINTS} points (got ${n}); use sliced W2 for larger samples`,
    );
  }
  const a = asFloat64(x);
  const b = asFloat64(y);
  const cost = squaredDistanceMatrix(a, b, n, d);
  const assignment = solveAssignment(cost, n);
  let total = 0;
  for (let i = 0; i < n; i++) total += cost[i * n + assignment[i]];
  return { w2: Math.sqrt(total / n), assignment };
}

/** cost[i, j] = |a_i - b_j|^2, row-major n x n. */
function squaredDistanceMatrix(a: Float64Array, b: Float64Array, n: number, d: number): Float64Array {
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) cost[row + j] = squaredDistance(a, i, b, j, d);
  }
  return cost;
}
