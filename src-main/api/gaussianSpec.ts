/**
 * A Gaussian written as a dataset spec, `gaussian:MEAN[:COV]`, in any dimension d = the mean's
 * length, and what makes one valid (finite, symmetric, positive definite):
 *
 *   gaussian:1,-2                N((1, -2), I)
 *   gaussian:1,-2:0.5            N((1, -2), 0.5 I)                    one number: a variance
 *   gaussian:1,-2:2,0.5          N((1, -2), diag(2, 0.5))             d numbers: the diagonal
 *   gaussian:1,-2:2,0.3,0.3,1    N((1, -2), [[2, 0.3], [0.3, 1]])     d x d numbers, row-major
 *
 * Pure arithmetic, so the config schema, the wizard and the engine check a spec the same way; the
 * engine's data layer adds sampling and the exact density on top (engine/data/gaussian.ts).
 */
import { UserError } from '../errors.js';

export const GAUSSIAN_SPEC_PREFIX = 'gaussian:';
/** Largest dimension a spec may give (a d x d covariance is typed by hand). */
export const MAX_GAUSSIAN_SPEC_DIM = 64;
/** Relative asymmetry |S_ij - S_ji| / max|S| accepted as rounding in a user's covariance. */
const SYMMETRY_TOLERANCE = 1e-9;

const HINT =
  'write gaussian:MEAN[:COV], e.g. gaussian:1,-2:2,0.3,0.3,1 (COV is one variance, the d diagonal entries, or all d x d entries row by row)';

/** A checked N(mean, cov): row-major [d, d] covariance and its Cholesky factor. */
export interface GaussianParameters {
  readonly d: number;
  readonly mean: Float64Array;
  readonly cov: Float64Array;
  /** Lower-triangular L with L L^T = cov. */
  readonly chol: Float64Array;
  /** Exact differential entropy in nats: (d/2)(1 + log(2 pi)) + sum_i log L_ii. */
  readonly entropy: number;
}

export function isGaussianSpec(spec: string): boolean {
  return spec.trim().toLowerCase().startsWith(GAUSSIAN_SPEC_PREFIX);
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

/** N(mean, cov) checked; cov is [d][d] or row-major flat, identity when omitted. */
export function gaussianParameters(mean: ArrayLike<number>, cov?: number[][] | ArrayLike<number>): GaussianParameters {
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
  const chol = cholesky(s, d);
  let sumLogDiag = 0;
  for (let i = 0; i < d; i++) sumLogDiag += Math.log(chol[i * d + i]);
  return { d, mean: m, cov: s, chol, entropy: 0.5 * d * (1 + Math.log(2 * Math.PI)) + sumLogDiag };
}

/** The Gaussian a `gaussian:MEAN[:COV]` spec names; a UserError saying what is wrong otherwise. */
export function gaussianSpecParameters(spec: string): GaussianParameters {
  const text = spec.trim();
  const parts = text.slice(GAUSSIAN_SPEC_PREFIX.length).split(':');
  if (parts.length > 2 || parts[0].trim() === '') throw new UserError(`'${text}' is not a Gaussian spec; ${HINT}`);
  const numbers = (list: string, what: string): number[] =>
    list.split(',').map((s) => {
      const t = s.trim();
      const x = t === '' ? Number.NaN : Number(t);
      if (!Number.isFinite(x)) throw new UserError(`'${text}': the ${what} entry '${t}' is not a finite number; ${HINT}`);
      return x;
    });
  const mean = numbers(parts[0], 'mean');
  const d = mean.length;
  if (d > MAX_GAUSSIAN_SPEC_DIM) {
    throw new UserError(`'${text}': a mean of ${d} entries is more than ${MAX_GAUSSIAN_SPEC_DIM} dimensions; import the data as a .npy file instead`);
  }
  let cov: number[] | undefined;
  if (parts.length === 2) {
    const c = numbers(parts[1], 'covariance');
    if (c.length === d * d) cov = c;
    else if (c.length === 1 || c.length === d) cov = diagonal(d, (i) => (c.length === 1 ? c[0] : c[i]));
    else {
      throw new UserError(
        `'${text}': the covariance has ${c.length} entries; a ${d}-dimensional mean takes 1 (a variance), ${d} (the diagonal) or ${d * d} (the full matrix)`,
      );
    }
  }
  try {
    return gaussianParameters(mean, cov);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`'${text}': ${e.message}`);
    throw e;
  }
}

function diagonal(d: number, entry: (i: number) => number): number[] {
  const m = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) m[i * d + i] = entry(i);
  return m;
}
