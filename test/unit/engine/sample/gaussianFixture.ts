// Shared fixtures for the solver tests: a random Gaussian target and its exact interpolant field.
import { Rng } from '../../../../src-main/engine/random.js';
import { gaussianClosedForm, type GaussianField } from '../../../../src-main/engine/sample/gaussianClosedForm.js';
import type { Interpolant } from '../../../../src-main/engine/interpolants/schedules.js';

/** Smallest eigenvalue floor of the random covariances: keeps the field well conditioned at t = 1. */
const COVARIANCE_FLOOR = 0.5;

/** A random mean m ~ N(0, I) and SPD covariance S = B B^T / d + 0.5 I, B with N(0, 1) entries. */
export function randomGaussian(d: number, seed: number): { m: Float64Array; S: Float64Array } {
  const rng = new Rng(seed, 1);
  const m = new Float64Array(d).map(() => rng.normal());
  const B = new Float64Array(d * d).map(() => rng.normal());
  const S = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let acc = 0;
      for (let k = 0; k < d; k++) acc += B[i * d + k] * B[j * d + k];
      S[i * d + j] = acc / d + (i === j ? COVARIANCE_FLOOR : 0);
    }
  }
  return { m, S };
}

export function gaussianProblem(d: number, seed: number, schedule: Interpolant): { m: Float64Array; S: Float64Array; field: GaussianField } {
  const { m, S } = randomGaussian(d, seed);
  return { m, S, field: gaussianClosedForm(m, S, schedule) };
}

/** n standard normal points [n, d]. */
export function normalPoints(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed, 2);
  return new Float64Array(n * d).map(() => rng.normal());
}

/** max_i |a_i - b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Empirical mean [d] and covariance [d, d] (1/n normalisation) of points [n, d]. */
export function empiricalMoments(x: ArrayLike<number>, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) mean[j] += x[p * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) cov[i * d + j] += ((x[p * d + i] - mean[i]) * (x[p * d + j] - mean[j])) / n;
    }
  }
  return { mean, cov };
}

/**
 * Whitens a sample: z = L^{-1} (x - mean) with cov = L L^T (Cholesky), so the sample z has
 * empirical mean exactly 0 and empirical covariance exactly I.
 */
export function whiten(x: Float64Array, n: number, d: number): Float64Array {
  const { mean, cov } = empiricalMoments(x, n, d);
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i * d + j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = i === j ? Math.sqrt(s) : s / L[j * d + j];
    }
  }
  const z = new Float64Array(n * d);
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < d; i++) {
      let s = x[p * d + i] - mean[i];
      for (let k = 0; k < i; k++) s -= L[i * d + k] * z[p * d + k];
      z[p * d + i] = s / L[i * d + i];
    }
  }
  return z;
}
