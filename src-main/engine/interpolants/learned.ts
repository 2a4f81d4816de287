/**
 * The learnable interpolant (SCIENCE.md sections 1 and 5): the trigonometric one plus a truncated
 * sine series on each coefficient,
 *
 *   a(t) = cos(pi t / 2) + sum_{k=1..K} alpha_k sin(k pi t),   b(t) = sin(pi t / 2) + sum_{k=1..K} beta_k sin(k pi t),
 *
 * so a(0) = b(1) = 1 and a(1) = b(0) = 0 for every choice of coefficients (sin(k pi t) vanishes at
 * both ends), and alpha = beta = 0 is `trig`. The coefficients are found by the max-min of
 * `train/pathMaxMin.ts`. Written over an `Algebra`, as every family.
 *
 *   const it = learnedInterpolant({ alpha: [0.1, 0, 0, 0], beta: [0, 0, 0, 0] });
 *   const { a, b } = coefficientsAt(it, 0.3);
 */
import type { Algebra } from './algebra.js';
import type { Interpolant } from './schedules.js';

/**
 * Sine terms per coefficient. From N(0, I) to N((2, 0), 0.25 I) (trig's kinetic energy 5.55,
 * W2^2 = 4.5) the best 4-term path has 4.562 and the best 8-term one 4.535: the OT path's a(t)
 * has a square-root end at t = 1 that no finite series reaches; 4 terms take most of the gain.
 */
export const LEARNED_TERMS = 4;

export interface LearnedCoefficients {
  alpha: number[];
  beta: number[];
}

export function zeroCoefficients(terms = LEARNED_TERMS): LearnedCoefficients {
  return { alpha: new Array(terms).fill(0), beta: new Array(terms).fill(0) };
}

const HALF_PI = Math.PI / 2;

export function learnedInterpolant(c: LearnedCoefficients): Interpolant {
  const alpha = [...c.alpha];
  const beta = [...c.beta];
  const show = (xs: number[]) => xs.map((x) => x.toPrecision(3)).join(', ');
  return learnedFamily(
    `alpha = [${show(alpha)}], beta = [${show(beta)}]`,
    alpha.length,
    <T>(A: Algebra<T>, k: number) => (alpha[k] ? A.c(alpha[k]) : null),
    <T>(A: Algebra<T>, k: number) => (beta[k] ? A.c(beta[k]) : null),
  );
}

/**
 * The family with coefficients that are values of the algebra itself: the training program's
 * scalars read from its `coefficients` input ([alpha_1..K, beta_1..K]), so the outer step of the
 * max-min changes them between calls without rebuilding the program. Graph algebra only.
 */
export function learnedGraphInterpolant<V>(coefficients: readonly V[]): Interpolant {
  const K = coefficients.length / 2;
  return learnedFamily('alpha, beta: the program input coefficients', K,
    <T>(_A: Algebra<T>, k: number) => coefficients[k] as unknown as T,
    <T>(_A: Algebra<T>, k: number) => coefficients[K + k] as unknown as T);
}

type Coefficient = <T>(A: Algebra<T>, k: number) => T | null;

function learnedFamily(values: string, terms: number, alphaK: Coefficient, betaK: Coefficient): Interpolant {
  return {
    name: 'learned',
    title: 'Learned (trigonometric + sine series)',
    formula: `a = cos(pi t/2) + sum alpha_k sin(k pi t), b = sin(pi t/2) + sum beta_k sin(k pi t); ${values}`,
    tMax: 1,
    latentNoise: false,
    at<T>(A: Algebra<T>, t: T) {
      const th = A.mul(t, A.c(HALF_PI));
      let a = A.cos(th);
      let b = A.sin(th);
      let da = A.mul(b, A.c(-HALF_PI));
      let db = A.mul(a, A.c(HALF_PI));
      for (let k = 1; k <= terms; k++) {
        const phase = A.mul(t, A.c(k * Math.PI));
        const s = A.sin(phase);
        const ds = A.mul(A.cos(phase), A.c(k * Math.PI));
        const ak = alphaK(A, k - 1);
        const bk = betaK(A, k - 1);
        if (ak !== null) {
          a = A.add(a, A.mul(s, ak));
          da = A.add(da, A.mul(ds, ak));
        }
        if (bk !== null) {
          b = A.add(b, A.mul(s, bk));
          db = A.add(db, A.mul(ds, bk));
        }
      }
      return { a, b, da, db };
    },
  };
}
