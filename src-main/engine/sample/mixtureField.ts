/**
 * Exact fields from a standard Gaussian base to a Gaussian mixture sum_k pi_k N(mu_k, S_k)
 * (8 Gaussians, rings, a user's Gaussian), for I = a x0 + b x1 + gamma z with independent
 * x0, z ~ N(0, I) (SCIENCE.md section 7). Given component k, x_t ~ N(b mu_k, C_k) with
 * C_k = (a^2 + gamma^2) I + b^2 S_k, so
 *
 *   rho_t(x) = sum_k pi_k N(x; b mu_k, C_k),   w_k(x) = pi_k N(x; b mu_k, C_k) / rho_t(x)
 *   v(t, x)  = sum_k w_k [ b' mu_k + ((a a' + gamma gamma') I + b b' S_k) C_k^{-1} (x - b mu_k) ]
 *   s(t, x)  = grad log rho_t(x) = -sum_k w_k C_k^{-1} (x - b mu_k)
 *
 * With S_k = Q diag(lambda) Q^T each matrix is diagonal in Q: C_k^{-1} has 1 / (A + b^2 lambda_i),
 * the velocity gain (B + b b' lambda_i) / (A + b^2 lambda_i), A = a^2 + gamma^2, B = a a' + gamma gamma'.
 * This is the ground truth of a "field error" E|v_theta - v|^2.
 *
 *   const f = mixtureField(isotropicComponents(mixture), trig);
 *   const v = f.velocity(0.3, x, n);
 */
import { UserError } from '../../errors.js';
import type { IsotropicMixture } from '../data/gaussianMixture.js';
import { coefficientsAt, type Interpolant } from '../interpolants/schedules.js';
import { symmetricEigen, type SymmetricEigen } from './symmetricEigen.js';
import type { VelocityFn } from './types.js';

const LOG_TWO_PI = Math.log(2 * Math.PI);

export interface MixtureComponent {
  weight: number;
  mean: ArrayLike<number>;
  /** Row-major d x d covariance, symmetric positive-definite. */
  cov: ArrayLike<number>;
}

export interface MixtureField {
  readonly dim: number;
  velocity(t: number, x: ArrayLike<number>, n: number): Float64Array;
  score(t: number, x: ArrayLike<number>, n: number): Float64Array;
  /** log rho_t(x) per point. */
  logDensity(t: number, x: ArrayLike<number>, n: number): Float64Array;
  /** The velocity as a solver's field. */
  readonly velocityFn: VelocityFn;
}

/** The components of an isotropic mixture (the toys' form): covariance s^2 I each. */
export function isotropicComponents(m: IsotropicMixture): MixtureComponent[] {
  const { d, std } = m;
  const cov = Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? std * std : 0));
  return Array.from(m.weights, (weight, k) => ({ weight, mean: m.centers.subarray(k * d, (k + 1) * d), cov }));
}

interface Prepared {
  logWeight: number;
  mean: Float64Array;
  eigen: SymmetricEigen;
}

/** Per point: the per-component quantities, combined by the posterior weights w_k(x). */
function evaluate(parts: Prepared[], it: Interpolant, t: number, x: ArrayLike<number>, n: number, d: number) {
  const { a, b, da, db, gamma = 0, dgamma = 0 } = coefficientsAt(it, t);
  const A = a * a + gamma * gamma;
  const B = a * da + gamma * dgamma;
  const K = parts.length;
  const v = new Float64Array(n * d);
  const s = new Float64Array(n * d);
  const logRho = new Float64Array(n);
  const logw = new Float64Array(K);
  const vk = parts.map(() => new Float64Array(d));
  const sk = parts.map(() => new Float64Array(d));
  const r = new Float64Array(d);
  const y = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < K; k++) {
      const { mean, eigen } = parts[k];
      const Q = eigen.vectors;
      for (let j = 0; j < d; j++) r[j] = x[p * d + j] - b * mean[j];
      // y = Q^T r: coordinates along the eigenvectors
      let quad = 0;
      let logDet = 0;
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let j = 0; j < d; j++) acc += Q[j * d + i] * r[j];
        const c = A + b * b * eigen.values[i];
        quad += (acc * acc) / c;
        logDet += Math.log(c);
        y[i] = acc;
      }
      logw[k] = parts[k].logWeight - 0.5 * (d * LOG_TWO_PI + logDet + quad);
      for (let j = 0; j < d; j++) {
        let gain = 0;
        let inv = 0;
        for (let i = 0; i < d; i++) {
          const c = A + b * b * eigen.values[i];
          gain += (Q[j * d + i] * (B + b * db * eigen.values[i]) * y[i]) / c;
          inv += (Q[j * d + i] * y[i]) / c;
        }
        vk[k][j] = db * mean[j] + gain;
        sk[k][j] = -inv;
      }
    }
    const top = Math.max(...logw);
    let total = 0;
    for (let k = 0; k < K; k++) total += Math.exp(logw[k] - top);
    logRho[p] = top + Math.log(total);
    for (let k = 0; k < K; k++) {
      const w = Math.exp(logw[k] - logRho[p]);
      for (let j = 0; j < d; j++) {
        v[p * d + j] += w * vk[k][j];
        s[p * d + j] += w * sk[k][j];
      }
    }
  }
  return { v, s, logRho };
}

/** The exact fields of the mixture under the interpolant `it` (see the header for the formulas). */
export function mixtureField(components: MixtureComponent[], it: Interpolant): MixtureField {
  if (components.length === 0) throw new UserError('a Gaussian mixture needs at least one component');
  const d = components[0].mean.length;
  const total = components.reduce((acc, c) => acc + c.weight, 0);
  const parts: Prepared[] = components.map((c, k) => {
    if (c.mean.length !== d || c.cov.length !== d * d) {
      throw new UserError(`mixture component ${k + 1} has a mean of ${c.mean.length} and a covariance of ${c.cov.length} values; expected ${d} and ${d * d}`);
    }
    if (!(c.weight > 0)) throw new UserError(`mixture component ${k + 1} has weight ${c.weight}; weights must be > 0`);
    const eigen = symmetricEigen(c.cov, d);
    if (!(Math.min(...eigen.values) > 0)) throw new UserError(`mixture component ${k + 1}'s covariance is not positive-definite`);
    return { logWeight: Math.log(c.weight / total), mean: Float64Array.from(c.mean), eigen };
  });
  const check = (x: ArrayLike<number>, n: number) => {
    if (x.length !== n * d) throw new Error(`mixture field: expected n*d = ${n * d} values, got ${x.length}`);
  };
  return {
    dim: d,
    velocity: (t, x, n) => (check(x, n), evaluate(parts, it, t, x, n, d).v),
    score: (t, x, n) => (check(x, n), evaluate(parts, it, t, x, n, d).s),
    logDensity: (t, x, n) => (check(x, n), evaluate(parts, it, t, x, n, d).logRho),
    velocityFn: async (t, x, n) => (check(x, n), evaluate(parts, it, t, x, n, d).v),
  };
}
