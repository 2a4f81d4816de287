/**
 * Interpolant families: I(t, x0, x1) = a(t) x0 + b(t) x1 + gamma(t) z, with a(0) = b(1) = 1,
 * a(1) = b(0) = 0 and gamma(0) = gamma(1) = 0 (SCIENCE.md section 1). Each family is data: the
 * three coefficients and their time derivatives, written once over an `Algebra`.
 */
import { numbers, type Algebra } from './algebra.js';
import type { InterpolantName } from '../../api/config.js';
import { learnedInterpolant, zeroCoefficients } from './learned.js';

export interface Coefficients<T> {
  a: T;
  b: T;
  da: T;
  db: T;
  /** Latent-noise scale and its derivative (absent: deterministic interpolant). */
  gamma?: T;
  dgamma?: T;
}

export interface Interpolant {
  /** A family of the config's list, or 'learned' (learned.ts: coefficients found by the max-min). */
  name: InterpolantName | 'learned';
  title: string;
  formula: string;
  /**
   * Training and sampling use t in [0, tMax]. It is 1 except where a'(t) is singular at t = 1
   * (the VP schedule, a ~ sqrt(1 - t)); the residual a(tMax) is reported in its description.
   */
  tMax: number;
  /** True when the interpolant has a gamma(t) z term (a third random input). */
  latentNoise: boolean;
  at<T>(A: Algebra<T>, t: T): Coefficients<T>;
}

const HALF_PI = Math.PI / 2;

export const linear: Interpolant = {
  name: 'linear',
  title: 'Linear (rectified flow)',
  formula: 'I = (1 - t) x0 + t x1',
  tMax: 1,
  latentNoise: false,
  at: (A, t) => ({ a: A.sub(A.c(1), t), b: t, da: A.c(-1), db: A.c(1) }),
};

export const trig: Interpolant = {
  name: 'trig',
  title: 'Trigonometric',
  formula: 'I = cos(pi t / 2) x0 + sin(pi t / 2) x1',
  tMax: 1,
  latentNoise: false,
  at: (A, t) => {
    const th = A.mul(t, A.c(HALF_PI));
    const c = A.cos(th);
    const s = A.sin(th);
    return { a: c, b: s, da: A.mul(s, A.c(-HALF_PI)), db: A.mul(c, A.c(HALF_PI)) };
  },
};

/**
 * Encoder-decoder: cos^2(pi t) x0 for t < 1/2, cos^2(pi t) x1 for t >= 1/2, plus gamma(t) z with
 * gamma = sin^2(pi t), so x_{1/2} = z. The deterministic part passes through 0 at t = 1/2; without
 * the latent term rho_{1/2} would be a point mass and the exact velocity would have
 * div v ~ 2d / (t - 1/2), which no solver can integrate (SCIENCE.md section 1).
 *   a' (t < 1/2) = b' (t >= 1/2) = -pi sin(2 pi t),   gamma' = pi sin(2 pi t)
 */
export const encdec: Interpolant = {
  name: 'encdec',
  title: 'Encoder-decoder',
  formula: 'I = cos^2(pi t) x0 (t < 1/2), cos^2(pi t) x1 (t >= 1/2), + sin^2(pi t) z',
  tMax: 1,
  latentNoise: true,
  at: (A, t) => {
    const th = A.mul(t, A.c(Math.PI));
    const c = A.cos(th);
    const s = A.sin(th);
    const c2 = A.mul(c, c);
    // d/dt cos^2(pi t) = -pi sin(2 pi t) = -d/dt sin^2(pi t)
    const ds = A.mul(A.sin(A.mul(th, A.c(2))), A.c(Math.PI));
    const d = A.mul(ds, A.c(-1));
    const zero = A.c(0);
    return {
      a: A.below(t, 0.5, c2, zero),
      b: A.below(t, 0.5, zero, c2),
      da: A.below(t, 0.5, d, zero),
      db: A.below(t, 0.5, zero, d),
      gamma: A.mul(s, s),
      dgamma: ds,
    };
  },
};

/**
 * Offset s of the cosine schedule (Nichol & Dhariwal 2021, where it keeps the noise from vanishing
 * too fast at the data end). Here the data end is t = 1: with s > 0, a(t) ~ 0.2 sqrt(1 - t) there
 * (s = 0 would give the trigonometric interpolant), so a'(t) is singular at t = 1 and training,
 * sampling and likelihoods stop at VP_T_MAX. b'(t) is finite on [0, 1] for any s.
 */
export const VP_OFFSET = 0.008;
const VP_NORM = Math.cos(HALF_PI * (VP_OFFSET / (1 + VP_OFFSET)));
/** a(t) ~ 0.2 sqrt(1 - t) near t = 1, so a'(t) blows up; stop at a(tMax) ~ 2e-3. */
export const VP_T_MAX = 1 - 1e-4;

/**
 * Variance-preserving cosine schedule: b(t) = cos(k (1 + s - t)) / cos(k s), k = pi / (2 (1 + s)),
 * a(t) = sqrt(1 - b^2) = sqrt(sin(k (1 - t)) sin(k (1 + 2 s - t))) / cos(k s) (the product form
 * has no cancellation near t = 1, where a -> 0), a' = -b b' / a.
 */
export const vp: Interpolant = {
  name: 'vp',
  title: 'VP (cosine schedule)',
  formula: 'I = sqrt(1 - b^2) x0 + b x1, b = cos(pi/2 (1 - t + s)/(1 + s)) / cos(pi/2 s/(1 + s))',
  tMax: VP_T_MAX,
  latentNoise: false,
  at: (A, t) => {
    const k = HALF_PI / (1 + VP_OFFSET);
    const omt = A.sub(A.c(1), t);
    const b = A.div(A.cos(A.mul(A.add(omt, A.c(VP_OFFSET)), A.c(k))), A.c(VP_NORM));
    const db = A.div(A.mul(A.sin(A.mul(A.add(omt, A.c(VP_OFFSET)), A.c(k))), A.c(k)), A.c(VP_NORM));
    const a = A.div(A.sqrt(A.mul(A.sin(A.mul(omt, A.c(k))), A.sin(A.mul(A.add(omt, A.c(2 * VP_OFFSET)), A.c(k))))), A.c(VP_NORM));
    const da = A.div(A.mul(A.mul(b, db), A.c(-1)), a);
    return { a, b, da, db };
  },
};

/**
 * Stochastic: linear endpoints plus latent noise gamma(t) z with gamma = 2 t (1 - t)
 * (SCIENCE.md allows any gamma with gamma(0) = gamma(1) = 0; this one keeps gamma' bounded,
 * where sqrt(2 t (1 - t)) would make the regression target's variance diverge at the ends).
 */
export const stochastic: Interpolant = {
  name: 'stochastic',
  title: 'Stochastic (linear + latent noise)',
  formula: 'I = (1 - t) x0 + t x1 + 2 t (1 - t) z',
  tMax: 1,
  latentNoise: true,
  at: (A, t) => {
    const one = A.c(1);
    const omt = A.sub(one, t);
    return {
      a: omt,
      b: t,
      da: A.c(-1),
      db: one,
      gamma: A.mul(A.mul(t, omt), A.c(2)),
      dgamma: A.mul(A.sub(one, A.mul(t, A.c(2))), A.c(2)),
    };
  },
};

/** 'learned' starts as trig (zero coefficients); a run's own coefficients are recorded with its checkpoints. */
export const INTERPOLANT_FAMILIES: Record<InterpolantName, Interpolant> = {
  linear, trig, encdec, vp, stochastic, learned: learnedInterpolant(zeroCoefficients()),
};

export function getInterpolant(name: InterpolantName): Interpolant {
  return INTERPOLANT_FAMILIES[name];
}

/** Plain-number coefficients, e.g. for plots: `coefficientsAt(trig, 0.3).a`. */
export function coefficientsAt(it: Interpolant, t: number): Coefficients<number> {
  return it.at(numbers, t);
}
