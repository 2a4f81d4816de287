import { UserError } from '../../errors.js';
import { coefficientsAt, type Interpolant } from '../interpolants/schedules.js';
import { spectralMatrix, symmetricEigen, type SymmetricEigen } from './symmetricEigen.js';
import type { VelocityDivFn, VelocityFn } from './types.js';

/**
 * The exact velocity of the Gaussian-to-Gaussian interpolant (SCIENCE.md section 7): rho0 = N(0, I),
 * rho1 = N(m, S), x_t = a(t) x0 + b(t) x1 + gamma(t) z with independent x0, x1, z ~ N(0, I), so
 * x_t ~ N(b m, Sigma_t), Sigma_t = (a^2 + gamma^2) I + b^2 S, and
 *
 *   v(t, x) = b' m + C(t) (x - b m),   C(t) = ((a a' + gamma gamma') I + b b' S) Sigma_t^{-1}.
 *
 * With S = Q diag(lambda) Q^T every matrix here is a function of S, so C = Q diag(c_i) Q^T with
 * c_i = (a a' + gamma gamma' + b b' lambda_i) / (a^2 + gamma^2 + b^2 lambda_i), div v = sum_i c_i, and since
 * d/dt Sigma_t^{1/2} = C Sigma_t^{1/2} the flow map is affine:
 *
 *   X_t = b(t) m + Sigma_t^{1/2} Sigma_s^{-1/2} (X_s - b(s) m),   in particular X_1 = m + S^{1/2} X_0
 *
 * with the symmetric square root. For S positive-definite the field is smooth wherever a, b and
 * gamma do not vanish together.
 */
export interface GaussianField extends VelocityFn {
  (t: number, x: Float32Array | Float64Array, n: number, d: number): Promise<Float64Array>;
  readonly dim: number;
  /** C(t), row-major d x d. */
  matrix(t: number): Float64Array;
  /** div v(t, x) = tr C(t), the same for every x. */
  divergence(t: number): number;
  /** v together with its exact divergence, for likelihoods. */
  readonly withDivergence: VelocityDivFn;
  /** The exact flow: the states at time tTo of the paths through x (row-major [n, d]) at time tFrom. */
  flowMap(x: ArrayLike<number>, n: number, tFrom: number, tTo: number): Float64Array;
  /** log N(x; m, S) per point. */
  logDensity(x: ArrayLike<number>, n: number): Float64Array;
}

const LOG_TWO_PI = Math.log(2 * Math.PI);
/** Relative asymmetry |S_ij - S_ji| / max|S| above which S is not accepted as a covariance. */
const SYMMETRY_TOLERANCE = 1e-10;

/** Decomposes S after checking it is a symmetric positive-definite d x d matrix. */
function decomposeCovariance(S: ArrayLike<number>, d: number): SymmetricEigen {
  if (S.length !== d * d) {
    throw new UserError(`covariance S has ${S.length} entries but the mean has d=${d}; pass a d x d matrix (${d * d} entries)`);
  }
  let maxAbs = 0;
  for (let i = 0; i < S.length; i++) maxAbs = Math.max(maxAbs, Math.abs(S[i]));
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      if (Math.abs(S[i * d + j] - S[j * d + i]) > SYMMETRY_TOLERANCE * maxAbs) {
        throw new UserError(`covariance S is not symmetric (S[${i}][${j}] != S[${j}][${i}]); pass a symmetric matrix`);
      }
    }
  }
  const eigen = symmetricEigen(S, d);
  const smallest = Math.min(...eigen.values);
  if (!(smallest > 0)) {
    throw new UserError(
      `covariance S is not positive-definite (smallest eigenvalue ${smallest}); pass a positive-definite matrix`,
    );
  }
  return eigen;
}

/** out_p = M (x_p - shift) for each row x_p of a batch [n, d]; M row-major d x d. */
function applyRows(
  M: Float64Array,
  x: ArrayLike<number>,
  shift: ArrayLike<number>,
  n: number,
  d: number,
  out: Float64Array,
): void {
  const r = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    for (let j = 0; j < d; j++) r[j] = x[p * d + j] - shift[j];
    for (let i = 0; i < d; i++) {
      let acc = 0;
      for (let j = 0; j < d; j++) acc += M[i * d + j] * r[j];
      out[p * d + i] = acc;
    }
  }
}

/** The eigenvalues c_i of C(t): (a a' + gamma gamma' + b b' lambda_i) / (a^2 + gamma^2 + b^2 lambda_i). */
function eigenC(values: Float64Array, it: Interpolant, t: number): Float64Array {
  const { a, b, da, db, gamma = 0, dgamma = 0 } = coefficientsAt(it, t);
  const aa = a * da + gamma * dgamma;
  const bb = b * db;
  const a2 = a * a + gamma * gamma;
  return values.map((l) => (aa + bb * l) / (a2 + b * b * l));
}

/** The standard deviations of Sigma_t along the eigenvectors of S: sqrt(a^2 + gamma^2 + b^2 lambda_i). */
function eigenSd(values: Float64Array, it: Interpolant, t: number): Float64Array {
  const { a, b, gamma = 0 } = coefficientsAt(it, t);
  return values.map((l) => Math.sqrt(a * a + gamma * gamma + b * b * l));
}

function logDensityOf(m: Float64Array, eigen: SymmetricEigen, x: ArrayLike<number>, n: number, d: number): Float64Array {
  if (x.length !== n * d) throw new Error(`logDensity: expected n*d = ${n * d} values, got ${x.length}`);
  const inv = spectralMatrix(eigen, eigen.values.map((l) => 1 / l));
  let logDet = 0;
  for (const l of eigen.values) logDet += Math.log(l);
  const w = new Float64Array(n * d);
  applyRows(inv, x, m, n, d, w);
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let quad = 0;
    for (let j = 0; j < d; j++) quad += (x[p * d + j] - m[j]) * w[p * d + j];
    out[p] = -0.5 * (d * LOG_TWO_PI + logDet + quad);
  }
  return out;
}

/**
 * The exact field of the Gaussian interpolant from N(0, I) to N(m, S) under the interpolant `it`.
 *
 *   const v = gaussianClosedForm(m, S, linear);
 *   const { x } = await integrateDopri5(v, x0, n, d, { t0: 0, t1: 1 });   // x ~ N(m, S)
 */
export function gaussianClosedForm(m: Float64Array, S: Float64Array, it: Interpolant): GaussianField {
  const d = m.length;
  const mean = Float64Array.from(m);
  const eigen = decomposeCovariance(S, d);
  const matrix = (t: number) => spectralMatrix(eigen, eigenC(eigen.values, it, t));
  const divergence = (t: number) => eigenC(eigen.values, it, t).reduce((acc, c) => acc + c, 0);

  const evaluate = (t: number, x: ArrayLike<number>, n: number, dx: number): Float64Array => {
    if (dx !== d) throw new Error(`Gaussian field has dimension ${d}; called with d=${dx}`);
    if (x.length !== n * d) throw new Error(`Gaussian field: expected n*d = ${n * d} values, got ${x.length}`);
    const { b, db } = coefficientsAt(it, t);
    const centre = mean.map((mi) => b * mi);
    const out = new Float64Array(n * d);
    applyRows(matrix(t), x, centre, n, d, out);
    for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) out[p * d + j] += db * mean[j];
    return out;
  };

  const velocity = async (t: number, x: Float32Array | Float64Array, n: number, dx: number) => evaluate(t, x, n, dx);
  const withDivergence: VelocityDivFn = async (t, x, n, dx) => {
    const v = evaluate(t, x, n, dx);
    return { v, div: new Float64Array(n).fill(divergence(t)) };
  };
  const flowMap = (x: ArrayLike<number>, n: number, tFrom: number, tTo: number): Float64Array => {
    const from = eigenSd(eigen.values, it, tFrom);
    const to = eigenSd(eigen.values, it, tTo);
    const M = spectralMatrix(eigen, to.map((s, i) => s / from[i]));
    if (x.length !== n * d) throw new Error(`flowMap: expected n*d = ${n * d} values, got ${x.length}`);
    const out = new Float64Array(n * d);
    applyRows(M, x, mean.map((mi) => coefficientsAt(it, tFrom).b * mi), n, d, out);
    const bTo = coefficientsAt(it, tTo).b;
    for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) out[p * d + j] += bTo * mean[j];
    return out;
  };

  return Object.assign(velocity, {
    dim: d,
    matrix,
    divergence,
    withDivergence,
    flowMap,
    logDensity: (x: ArrayLike<number>, n: number) => logDensityOf(mean, eigen, x, n, d),
  });
}

/** div v(t, x) = tr C(t) of the Gaussian field (independent of x and m). */
export function exactDivergence(S: Float64Array, it: Interpolant, t: number): number {
  const d = Math.round(Math.sqrt(S.length));
  const eigen = decomposeCovariance(S, d);
  return eigenC(eigen.values, it, t).reduce((acc, c) => acc + c, 0);
}

/** log N(x; m, S) = -(d ln 2 pi + ln det S + (x - m)^T S^{-1} (x - m)) / 2 per point of x [n, d]. */
export function gaussianLogDensity(m: Float64Array, S: Float64Array, x: ArrayLike<number>, n: number): Float64Array {
  const d = m.length;
  return logDensityOf(Float64Array.from(m), decomposeCovariance(S, d), x, n, d);
}
