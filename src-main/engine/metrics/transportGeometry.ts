import { UserError } from '../../errors.js';
import { checkSamples, type Samples } from './pointCloud.js';

/**
 * Straightness of a transport: E|X_1 - X_0|^2 / kinetic energy, the expectation the sample mean
 * over n paired endpoints (x0_i, x1_i) and the kinetic energy integral_0^1 E|v(t, X_t)|^2 dt
 * measured along the same paths. By Jensen |x1 - x0|^2 <= integral |dx/dt|^2 dt on every path, so
 * the ratio is <= 1 (up to estimation error), and 1 exactly when the paths are straight lines
 * traversed at constant speed.
 */
export function straightness(x0: Samples, x1: Samples, n: number, d: number, kineticEnergy: number): number {
  checkSamples('path starts x0', x0, n, d);
  checkSamples('path ends x1', x1, n, d);
  if (!(kineticEnergy > 0) || !Number.isFinite(kineticEnergy)) {
    throw new UserError(`straightness needs a positive finite kinetic energy, got ${kineticEnergy}`);
  }
  let total = 0;
  for (let e = 0; e < n * d; e++) {
    const diff = x1[e] - x0[e];
    total += diff * diff;
  }
  return total / n / kineticEnergy;
}

/**
 * The kinetic energy integral_0^T E|v(t, X_t)|^2 dt of a flow along its own paths, from the states
 * X_0, X_1, ..., X_K at equal steps h = T / K (a fixed-step solve's trajectory):
 *
 *   KE = (1/n) sum_i sum_k |X_{k+1,i} - X_{k,i}|^2 / h,
 *
 * the midpoint rule on |dX/dt|^2 with each step's velocity its chord (error O(h^2) on smooth
 * paths), exact on straight constant-speed paths. Along the paths rather than at the interpolant's
 * x_t: a flow trained on other pairs (an OT coupling) has other marginals than the interpolant's.
 */
export function pathEnergy(states: readonly Samples[], n: number, d: number, T: number): number {
  const K = states.length - 1;
  if (K < 1) throw new UserError('the path energy needs at least two states along the paths');
  states.forEach((x, k) => checkSamples(`path state ${k}`, x, n, d));
  let total = 0;
  for (let k = 0; k < K; k++) {
    const a = states[k];
    const b = states[k + 1];
    for (let e = 0; e < n * d; e++) total += (b[e] - a[e]) ** 2;
  }
  return (total * K) / (T * n);
}

export interface NormStats {
  /** (1/n) sum_i |a_i - b_i|. */
  mean: number;
  /** max_i |a_i - b_i|. */
  max: number;
}

/**
 * Mean and largest Euclidean norm of the row differences a_i - b_i: the cycle-consistency error
 * with a = decode(encode(x)) and b = x.
 */
export function meanNorm(a: Samples, b: Samples, n: number, d: number): NormStats {
  checkSamples('a', a, n, d);
  checkSamples('b', b, n, d);
  let total = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = i * d, end = c + d; c < end; c++) {
      const diff = a[c] - b[c];
      s += diff * diff;
    }
    const norm = Math.sqrt(s);
    total += norm;
    if (norm > max) max = norm;
  }
  return { mean: total / n, max };
}
