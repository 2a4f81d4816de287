/**
 * Gaussian N(m, S) in any dimension d, through the Cholesky factor S = L L^T:
 *
 *   sample:      x = m + L z,  z ~ N(0, I)
 *   log-density: log N(x; m, S) = -|L^{-1}(x - m)|^2 / 2 - sum_i log L_ii - (d/2) log(2 pi)
 *   entropy:     H = (d/2)(1 + log(2 pi)) + sum_i log L_ii      (= (1/2) log det(2 pi e S))
 */
import { UserError } from '../../errors.js';
import { Rng } from '../random.js';
import { dataStream } from './streams.js';
import type { Points, Sampler } from './types.js';

/** Relative asymmetry |S_ij - S_ji| / max|S| accepted as rounding in a user's covariance. */
const SYMMETRY_TOLERANCE = 1e-9;

export interface Gaussian extends Sampler {
  readonly d: number;
  readonly mean: Float64Array;
  /** Row-major [d, d] covariance. */
  readonly cov: Float64Array;
  /** Row-major [d, d] lower-triangular L with L L^T = cov. */
  readonly chol: Float64Array;
  /** Exact differential entropy in nats. */
  readonly entropy: number;
  logDensity(points: Points, n: number): Float64Array;
}

/**
 * Lower-triangular L with L L^T = a (row-major [d, d]); throws a UserError when a is not
 * symmetric positive definite.
 */
export function cholesky(a: ArrayLike<number>, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j];
    for (let k = 0; k < j; k++) diag -= l[j * d + k] * l[j * d + k];
    if (!(diag > 0)) {
      throw new UserError(
        `covariance is not positive definite (pivot ${j + 1} of ${d} is ${diag}); give a symmetric matrix with positive eigenvalues`,
      );
    }
    const ljj = Math.sqrt(diag);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      l[i * d + j] = s / ljj;
    }
  }
  return l;
}

function flattenCov(cov: number[][] | ArrayLike<number> | undefined, d: number): Float64Array {
  if (cov === undefined) {
    const eye = new Float64Array(d * d);
    for (let i = 0; i < d; i++) eye[i * d + i] = 1;
    return eye;
  }
  if (Array.isArray(cov) && Array.isArray(cov[0])) {
    const rows = cov as number[][];
    if (rows.length !== d || rows.some((r) => r.length !== d)) {
      throw new UserError(`covariance must be ${d} x ${d} to match a mean of length ${d}`);
    }
    return Float64Array.from(rows.flat());
  }
  const flat = Float64Array.from(cov as ArrayLike<number>);
  if (flat.length !== d * d) {
    throw new UserError(`covariance has ${flat.length} entries but a ${d}-dimensional mean needs ${d * d} (d x d)`);
  }
  return flat;
}

/** N(mean, cov); cov is [d][d] or row-major flat, identity when omitted. */
export function gaussian(mean: ArrayLike<number>, cov?: number[][] | ArrayLike<number>): Gaussian {
  const d = mean.length;
  if (d < 1) throw new UserError('a Gaussian needs a mean of length >= 1');
  const m = Float64Array.from(mean);
  const s = flattenCov(cov, d);
  if (![...m, ...s].every(Number.isFinite)) throw new UserError('Gaussian mean and covariance must be finite numbers');
  const scale = s.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(s[i * d + j] - s[j * d + i]) > SYMMETRY_TOLERANCE * scale) {
        throw new UserError(`covariance is not symmetric: entry (${i + 1}, ${j + 1}) differs from (${j + 1}, ${i + 1}); make it symmetric`);
      }
    }
  }
  const l = cholesky(s, d);
  let sumLogDiag = 0;
  for (let i = 0; i < d; i++) sumLogDiag += Math.log(l[i * d + i]);
  const logNorm = -sumLogDiag - 0.5 * d * Math.log(2 * Math.PI);
  const stream = dataStream('gaussian');

  return {
    d,
    mean: m,
    cov: s,
    chol: l,
    entropy: 0.5 * d * (1 + Math.log(2 * Math.PI)) + sumLogDiag,
    sample(n: number, seed: number): Float32Array {
      const rng = new Rng(seed, stream);
      const out = new Float32Array(n * d);
      const z = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < d; c++) z[c] = rng.normal();
        for (let r = 0; r < d; r++) {
          let x = m[r];
          for (let c = 0; c <= r; c++) x += l[r * d + c] * z[c];
          out[i * d + r] = x;
        }
      }
      return out;
    },
    logDensity(points: Points, n: number): Float64Array {
      const out = new Float64Array(n);
      const y = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        let q = 0;
        for (let r = 0; r < d; r++) {
          let v = points[i * d + r] - m[r];
          for (let c = 0; c < r; c++) v -= l[r * d + c] * y[c];
          y[r] = v / l[r * d + r];
          q += y[r] * y[r];
        }
        out[i] = -0.5 * q + logNorm;
      }
      return out;
    },
  };
}
