/**
 * The outer half of the paper's max-min for a learnable interpolant (SCIENCE.md sections 2 and 5):
 *
 *   min_theta max_v -G(v; theta),   -G(v; theta) = E_t E[ 2 dI/dt . v(t, x_t) - |v(t, x_t)|^2 ]
 *                                              = E|dI/dt|^2 - E|v(t, x_t) - dI/dt|^2,
 *
 * with x_t = a(t) x0 + b(t) x1 and dI/dt = a' x0 + b' x1 under the coefficients theta (learned.ts).
 * The inner max is the velocity regression (training); at its optimum v = E[dI/dt | x_t] and
 * -G equals the path's kinetic energy integral E|v|^2 dt. By the envelope theorem the gradient of
 * that maximum in theta is the partial gradient of -G with v held fixed, so an outer step needs
 * only v as it stands: here by central differences of -G over fixed draws (common random numbers,
 * so the differences see theta alone), 2 (alpha, beta) terms x 2 evaluations of v per step. Steps
 * alternate with the velocity's: the coefficients descend while the net ascends.
 *
 *   const draws = pathDraws(x1, n, d, seed);
 *   const g = await coefficientGradient(v, theta, draws);
 *   theta = adam.step(theta, g);
 */
import { numbers } from '../interpolants/algebra.js';
import { learnedInterpolant, type LearnedCoefficients } from '../interpolants/learned.js';
import { pathPoint } from '../interpolants/path.js';
import { coefficientsAt, type Interpolant } from '../interpolants/schedules.js';
import { Rng } from '../random.js';
import type { VelocityFn } from '../sample/types.js';

/** Time strata of an estimate of -G: t_k = (k + u_k) / K, the same points at each. */
export const PATH_TIMES = 16;
/**
 * Central-difference step in a coefficient: -G is smooth in theta (error O(h^2)), and a net's
 * float32 rounding (about 1e-7 of |v|) stays far below differences of size h.
 */
export const COEFFICIENT_STEP = 1e-3;
const PATH_STREAM = 5;

export interface PathDraws {
  d: number;
  /** Points per time. */
  m: number;
  t: number[];
  /** Per time: base draws x0 and data points x1, [m, d] each. */
  x0: Float64Array[];
  x1: Float64Array[];
}

/** Fixed draws for estimates of -G: PATH_TIMES strata of n / PATH_TIMES rows of x1 (cycled) with fresh normals. */
export function pathDraws(x1: ArrayLike<number>, rows: number, d: number, n: number, seed: number): PathDraws {
  const rng = new Rng(seed, PATH_STREAM);
  const m = Math.max(1, Math.floor(n / PATH_TIMES));
  const draws: PathDraws = { d, m, t: [], x0: [], x1: [] };
  for (let k = 0; k < PATH_TIMES; k++) {
    draws.t.push((k + rng.uniform()) / PATH_TIMES);
    draws.x0.push(rng.fillNormal(new Float64Array(m * d)) as Float64Array);
    const ones = new Float64Array(m * d);
    for (let p = 0; p < m; p++) {
      const r = rng.int(rows);
      for (let j = 0; j < d; j++) ones[p * d + j] = x1[r * d + j];
    }
    draws.x1.push(ones);
  }
  return draws;
}

/** -G(v; it) over the draws (see the header): the kinetic energy when v is the interpolant's velocity. */
export async function pathObjective(v: VelocityFn, it: Interpolant, draws: PathDraws): Promise<number> {
  return (await pathObjectives(v, [it], draws))[0];
}

/** -G for several interpolants on the same draws, one velocity call per time for all of them. */
export async function pathObjectives(v: VelocityFn, its: readonly Interpolant[], draws: PathDraws): Promise<number[]> {
  const { d, m } = draws;
  const rows = m * d;
  const sums = new Array<number>(its.length).fill(0);
  for (let k = 0; k < draws.t.length; k++) {
    const xt = new Float64Array(its.length * rows);
    const dxt = new Float64Array(its.length * rows);
    its.forEach((it, q) => {
      const c = coefficientsAt(it, draws.t[k]);
      for (let i = 0; i < rows; i++) {
        const p = pathPoint(numbers, c, draws.x0[k][i], draws.x1[k][i], null);
        xt[q * rows + i] = p.xt;
        dxt[q * rows + i] = p.dxt;
      }
    });
    const vt = await v(draws.t[k], xt, its.length * m, d);
    for (let q = 0; q < its.length; q++) {
      for (let i = q * rows; i < (q + 1) * rows; i++) sums[q] += dxt[i] * dxt[i] - (vt[i] - dxt[i]) ** 2;
    }
  }
  return sums.map((x) => x / (m * draws.t.length));
}

/** d(-G)/d(alpha, beta) with v held fixed, by central differences (all shifts in one call per time). */
export async function coefficientGradient(v: VelocityFn, c: LearnedCoefficients, draws: PathDraws, h = COEFFICIENT_STEP): Promise<LearnedCoefficients> {
  const shifts: { key: 'alpha' | 'beta'; k: number }[] = [];
  for (const key of ['alpha', 'beta'] as const) for (let k = 0; k < c[key].length; k++) shifts.push({ key, k });
  const shifted = ({ key, k }: { key: 'alpha' | 'beta'; k: number }, delta: number) => {
    const next = { alpha: [...c.alpha], beta: [...c.beta] };
    next[key][k] += delta;
    return learnedInterpolant(next);
  };
  const values = await pathObjectives(v, shifts.flatMap((s) => [shifted(s, h), shifted(s, -h)]), draws);
  const grad: LearnedCoefficients = { alpha: c.alpha.map(() => 0), beta: c.beta.map(() => 0) };
  shifts.forEach(({ key, k }, i) => (grad[key][k] = (values[2 * i] - values[2 * i + 1]) / (2 * h)));
  return grad;
}

/** Adam on the coefficients (descent: the outer min). */
export class CoefficientAdam {
  private m: number[];
  private s: number[];
  private steps = 0;

  constructor(private readonly lr = 0.02, private readonly beta1 = 0.9, private readonly beta2 = 0.99, terms = 0) {
    this.m = new Array(2 * terms).fill(0);
    this.s = new Array(2 * terms).fill(0);
  }

  step(c: LearnedCoefficients, g: LearnedCoefficients): LearnedCoefficients {
    const theta = [...c.alpha, ...c.beta];
    const grad = [...g.alpha, ...g.beta];
    if (this.m.length !== theta.length) {
      this.m = new Array(theta.length).fill(0);
      this.s = new Array(theta.length).fill(0);
    }
    this.steps++;
    for (let i = 0; i < theta.length; i++) {
      this.m[i] = this.beta1 * this.m[i] + (1 - this.beta1) * grad[i];
      this.s[i] = this.beta2 * this.s[i] + (1 - this.beta2) * grad[i] * grad[i];
      const mh = this.m[i] / (1 - this.beta1 ** this.steps);
      const sh = this.s[i] / (1 - this.beta2 ** this.steps);
      theta[i] -= (this.lr * mh) / (Math.sqrt(sh) + 1e-12);
    }
    return { alpha: theta.slice(0, c.alpha.length), beta: theta.slice(c.alpha.length) };
  }
}
