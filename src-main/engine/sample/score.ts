/**
 * The score and the denoisers of a Gaussian-base interpolant from its velocity (SCIENCE.md
 * section 6, with the latent term). For x_t = a x0 + b x1 + gamma z with x0, z ~ N(0, I)
 * independent of x1, write u = a x0 + gamma z: given x1 it is N(0, A I), so
 *
 *   A = a^2 + gamma^2,   B = a a' + gamma gamma',
 *   E[a' x0 + gamma' z | u] = (B / A) u,   grad log rho_t(x) = E[-u / A | x_t = x]   (Tweedie).
 *
 * With U = E[u | x] and X1 = E[x1 | x]:  x = U + b X1  and  v = (B / A) U + b' X1. Eliminating X1:
 *
 *   U = A (b v - b' x) / D,   D = b B - A b'
 *   s(t, x)       = -U / A          = -(b v - b' x) / D
 *   E[x0 | x]     = (a / A) U       = a (b v - b' x) / D
 *   E[x1 | x]     = (x - U) / b     = (x + A s) / b
 *
 * With gamma = 0 this is SCIENCE.md's eta = (b v - b' x) / (b a' - a b'), s = -eta / a. D must not
 * vanish: it is -b'(0) < 0 at t = 0 (s(0, x) = -x) and 0 at t = 1, where A = B = 0, so the score
 * from a learned velocity grows ill-conditioned toward the data end (a velocity error dv becomes
 * a score error b dv / D). The encoder-decoder interpolant has b = b' = 0 on [0, 1/2): there x_t
 * says nothing of x1 and this elimination does not exist (`scoreDenominatorVanishes`).
 *
 * One formula over an `Algebra`, for plain numbers (one coordinate) and graph values ([n, d]
 * states with scalar coefficients):
 *
 *   const c = coefficientsAt(trig, 0.3);
 *   const s = scoreFromVelocity(numbers, c, x[i], v[i]);
 */
import { numbers, type Algebra } from '../interpolants/algebra.js';
import { coefficientsAt, type Coefficients, type Interpolant } from '../interpolants/schedules.js';

/** A = a^2 + gamma^2: the variance of the Gaussian part a x0 + gamma z. */
export function gaussianPartVariance<T>(A: Algebra<T>, c: Coefficients<T>): T {
  const a2 = A.mul(c.a, c.a);
  return c.gamma === undefined ? a2 : A.add(a2, A.mul(c.gamma, c.gamma));
}

/** D = b (a a' + gamma gamma') - (a^2 + gamma^2) b'. */
export function scoreDenominator<T>(A: Algebra<T>, c: Coefficients<T>): T {
  let B = A.mul(c.a, c.da);
  if (c.gamma !== undefined && c.dgamma !== undefined) B = A.add(B, A.mul(c.gamma, c.dgamma));
  return A.sub(A.mul(c.b, B), A.mul(gaussianPartVariance(A, c), c.db));
}

/** s(t, x) = -(b v - b' x) / D. */
export function scoreFromVelocity<T>(A: Algebra<T>, c: Coefficients<T>, x: T, v: T): T {
  return A.div(A.sub(A.mul(c.db, x), A.mul(c.b, v)), scoreDenominator(A, c));
}

/** E[x0 | x_t = x] = a (b v - b' x) / D (the base denoiser). */
export function baseDenoiser<T>(A: Algebra<T>, c: Coefficients<T>, x: T, v: T): T {
  return A.div(A.mul(c.a, A.sub(A.mul(c.b, v), A.mul(c.db, x))), scoreDenominator(A, c));
}

/** E[x1 | x_t = x] = (x + A s) / b (the data denoiser; undefined at b = 0, i.e. t = 0). */
export function dataDenoiser<T>(A: Algebra<T>, c: Coefficients<T>, x: T, v: T): T {
  return A.div(A.add(x, A.mul(gaussianPartVariance(A, c), scoreFromVelocity(A, c, x, v))), c.b);
}

/** Points of [0, tMax) checked for a vanishing D (the encoder-decoder's [0, 1/2) is caught by any of them). */
const DENOMINATOR_GRID = 64;

/** True when D(t) = 0 somewhere on [0, tMax): the score cannot be read off the velocity there. */
export function scoreDenominatorVanishes(it: Interpolant): boolean {
  for (let k = 0; k < DENOMINATOR_GRID; k++) {
    const t = (k / DENOMINATOR_GRID) * it.tMax;
    if (scoreDenominator(numbers, coefficientsAt(it, t)) === 0) return true;
  }
  return false;
}

/** The score of every row of x [n, d] at time t, from the velocity v there (same layout). */
export function scoreRows(it: Interpolant, t: number, x: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  const c = coefficientsAt(it, t);
  return Float64Array.from({ length: x.length }, (_, i) => scoreFromVelocity(numbers, c, x[i], v[i]));
}

/** E[x0 | x_t = x] for every row of x [n, d] at time t, from the velocity v there. */
export function baseDenoiserRows(it: Interpolant, t: number, x: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  const c = coefficientsAt(it, t);
  return Float64Array.from({ length: x.length }, (_, i) => baseDenoiser(numbers, c, x[i], v[i]));
}
