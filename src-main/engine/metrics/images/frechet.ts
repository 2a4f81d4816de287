/**
 * Frechet distance between two feature sets (SCIENCE.md section 7; FID with FlowLab's digit
 * classifier): the squared 2-Wasserstein distance between the Gaussians with the sets' means and
 * covariances,
 *
 *   FD = |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^{1/2}).
 *
 * S1 S2 is not symmetric, but it is similar to the symmetric positive semi-definite
 * M = S1^{1/2} S2 S1^{1/2} (S1 S2 = S1^{1/2} M S1^{-1/2} where S1 is invertible, and by continuity
 * otherwise), so tr (S1 S2)^{1/2} = tr M^{1/2} = sum_i sqrt(lambda_i(M)). Both square roots come
 * from symmetric eigen-decompositions (Jacobi rotations), with eigenvalues that rounding pushed
 * below zero clamped to 0: no complex parts to discard, unlike scipy's sqrtm route.
 */
import { spectralMatrix, symmetricEigen } from '../../sample/symmetricEigen.js';

export interface FeatureMoments {
  /** Feature dimension F. */
  dim: number;
  count: number;
  /** [F] */
  mean: Float64Array;
  /** [F, F] row-major, unbiased (divided by count - 1). */
  cov: Float64Array;
}

/** Mean and unbiased covariance of the rows `rows` (default all) of features [n, F], accumulated in float64. */
export function featureMoments(features: ArrayLike<number>, F: number, rows?: ArrayLike<number>): FeatureMoments {
  const n = rows ? rows.length : features.length / F;
  if (!Number.isInteger(n) || n < 2) throw new Error(`featureMoments needs at least 2 rows of ${F} features, got ${n}`);
  const row = (i: number) => (rows ? rows[i] : i);
  const mean = new Float64Array(F);
  for (let i = 0; i < n; i++) {
    const o = row(i) * F;
    for (let j = 0; j < F; j++) mean[j] += features[o + j];
  }
  for (let j = 0; j < F; j++) mean[j] /= n;
  const cov = new Float64Array(F * F);
  const c = new Float64Array(F);
  for (let i = 0; i < n; i++) {
    const o = row(i) * F;
    for (let j = 0; j < F; j++) c[j] = features[o + j] - mean[j];
    for (let a = 0; a < F; a++) {
      const ca = c[a];
      if (ca === 0) continue;
      const base = a * F;
      for (let b = a; b < F; b++) cov[base + b] += ca * c[b];
    }
  }
  for (let a = 0; a < F; a++) {
    for (let b = a; b < F; b++) {
      const v = cov[a * F + b] / (n - 1);
      cov[a * F + b] = v;
      cov[b * F + a] = v;
    }
  }
  return { dim: F, count: n, mean, cov };
}

/** Product of two row-major F x F matrices. */
function matmul(a: Float64Array, b: Float64Array, F: number): Float64Array {
  const out = new Float64Array(F * F);
  for (let i = 0; i < F; i++) {
    for (let k = 0; k < F; k++) {
      const aik = a[i * F + k];
      if (aik === 0) continue;
      for (let j = 0; j < F; j++) out[i * F + j] += aik * b[k * F + j];
    }
  }
  return out;
}

/** tr (S1 S2)^{1/2} for symmetric positive semi-definite S1, S2 (see the file comment). */
export function traceSqrtProduct(s1: Float64Array, s2: Float64Array, F: number): number {
  const e1 = symmetricEigen(s1, F);
  const root1 = spectralMatrix(e1, Array.from(e1.values, (l) => Math.sqrt(Math.max(0, l))));
  const m = matmul(matmul(root1, s2, F), root1, F);
  // symmetrise away rounding before the Jacobi sweeps
  for (let i = 0; i < F; i++) {
    for (let j = i + 1; j < F; j++) {
      const v = 0.5 * (m[i * F + j] + m[j * F + i]);
      m[i * F + j] = v;
      m[j * F + i] = v;
    }
  }
  let tr = 0;
  for (const l of symmetricEigen(m, F).values) tr += Math.sqrt(Math.max(0, l));
  return tr;
}

/** FD = |mu1 - mu2|^2 + tr S1 + tr S2 - 2 tr (S1 S2)^{1/2}, clamped at 0 against rounding. */
export function frechetDistance(a: FeatureMoments, b: FeatureMoments): number {
  const F = a.dim;
  if (b.dim !== F) throw new Error(`frechetDistance: feature dimensions differ (${a.dim} vs ${b.dim})`);
  let meanTerm = 0;
  let traces = 0;
  for (let j = 0; j < F; j++) {
    meanTerm += (a.mean[j] - b.mean[j]) ** 2;
    traces += a.cov[j * F + j] + b.cov[j * F + j];
  }
  return Math.max(0, meanTerm + traces - 2 * traceSqrtProduct(a.cov, b.cov, F));
}
