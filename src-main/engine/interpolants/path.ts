/**
 * The interpolant's path and its time derivative, written once over an `Algebra` (SCIENCE.md
 * sections 1 and 2):
 *
 *   x_t     = a(t) x0 + b(t) x1 + gamma(t) z
 *   dx_t/dt = a'(t) x0 + b'(t) x1 + gamma'(t) z      (the regression target of training)
 *
 * The latent term enters only when the interpolant has one and a z is given. With graph values
 * the coefficients broadcast over a batch ([B, 1] against [B, d]); with numbers it is one
 * coordinate:
 *
 *   const c = coefficientsAt(trig, 0.3);
 *   const { xt, dxt } = pathPoint(numbers, c, x0[i], x1[i], null);
 */
import type { Algebra } from './algebra.js';
import type { Coefficients } from './schedules.js';

export interface PathPoint<T> {
  xt: T;
  dxt: T;
}

export function pathPoint<T>(A: Algebra<T>, c: Coefficients<T>, x0: T, x1: T, z: T | null): PathPoint<T> {
  let xt = A.add(A.mul(c.a, x0), A.mul(c.b, x1));
  let dxt = A.add(A.mul(c.da, x0), A.mul(c.db, x1));
  if (c.gamma !== undefined && c.dgamma !== undefined && z !== null) {
    xt = A.add(xt, A.mul(c.gamma, z));
    dxt = A.add(dxt, A.mul(c.dgamma, z));
  }
  return { xt, dxt };
}
