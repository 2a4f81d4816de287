/**
 * Stochastic samplers from a learned velocity with a Gaussian base (SCIENCE.md section 6): for any
 * eps(t) >= 0 the SDE
 *
 *   dX = [v(t, X) + eps(t) s(t, X)] dt + sqrt(2 eps(t)) dW
 *
 * has the marginals rho_t of the ODE dX/dt = v, with the score s read off v (`score.ts`). The
 * user picks a constant eps; it is tapered to zero toward the data end, where the Gaussian part's
 * variance A(t) = a^2 + gamma^2 vanishes and the score, whose size grows like 1/A (and whose
 * error from a learned velocity grows like b/D), is ill-conditioned:
 *
 *   eps(t) = eps w(t),   w = clamp((A(t) - SDE_VARIANCE_OFF) / (SDE_VARIANCE_FULL - SDE_VARIANCE_OFF), 0, 1)
 *
 * so the noise is off once the Gaussian part's std is below 0.1 and fully on above 0.2; the
 * drift's stiffness eps w / A stays below eps / SDE_VARIANCE_FULL = 25 eps. No cut at t = 0:
 * there s(0, x) = -x exactly. w is continuous, so a step across its kinks loses no order.
 * Any eps(t) gives the same marginals, so the taper changes nothing but the sampler's noise.
 *
 * Steps of size h from t, with xi ~ N(0, I) and sigma = sqrt(h (eps(t) + eps(t + h))) (the
 * trapezoid rule for the variance 2 integral eps dt injected over the step), drift f = v + eps s:
 *
 *   em        X' = X + h f(t, X) + sigma xi                                      (weak order 1)
 *   sde-heun  X~ = X + h f(t, X) + sigma xi
 *             X' = X + h/2 (f(t, X) + f(t + h, X~)) + sigma xi                  (weak order 2 for
 *                                                                                additive noise)
 *
 * With eps = 0, sigma xi = 0 and each step is Euler's or Heun's tableau step, bit for bit.
 * Both run over a `StepWorld` (as `rkStep`), so the host integrator here and the fused program
 * (`sdeProgram.ts`) take the same steps. Noise comes from the counter-based generator: step k of
 * chunk c of a solve draws its normals under key streamKey(seed, SDE_STREAM, c * steps + k).
 */
import { UserError } from '../../errors.js';
import { numbers, type Algebra } from '../interpolants/algebra.js';
import { coefficientsAt, type Coefficients, type Interpolant } from '../interpolants/schedules.js';
import { Rng } from '../random.js';
import type { StepWorld } from './rungeKutta.js';
import { hostCombine } from './integrateFixed.js';
import { gaussianPartVariance, scoreDenominatorVanishes, scoreFromVelocity } from './score.js';
import type { VelocityFn } from './types.js';
import { checkBatch, countCalls, velocityAt } from './velocityCall.js';

export const SDE_METHODS = ['em', 'sde-heun'] as const;
export type SdeMethod = (typeof SDE_METHODS)[number];

/** Field evaluations per step. */
export const SDE_STAGES: Record<SdeMethod, number> = { em: 1, 'sde-heun': 2 };

/** Below this Gaussian-part variance a^2 + gamma^2 (std 0.1) the noise is off. */
export const SDE_VARIANCE_OFF = 0.01;
/** Above this Gaussian-part variance (std 0.2) the noise has the user's eps in full. */
export const SDE_VARIANCE_FULL = 0.04;
/** The random stream of SDE noise (training uses stream 1). */
export const SDE_STREAM = 2;

export function isSdeMethod(name: string): name is SdeMethod {
  return (SDE_METHODS as readonly string[]).includes(name);
}

/** eps(t) = eps w(t), the taper of the header, over an algebra. */
export function diffusionAt<T>(A: Algebra<T>, it: Interpolant, t: T, eps: T): T {
  const variance = gaussianPartVariance(A, it.at(A, t));
  const r = A.div(A.sub(variance, A.c(SDE_VARIANCE_OFF)), A.c(SDE_VARIANCE_FULL - SDE_VARIANCE_OFF));
  const w = A.below(r, 0, A.c(0), A.below(r, 1, r, A.c(1)));
  return A.mul(eps, w);
}

/**
 * The drift v + eps(t) s at (t, x), given v there and the coefficients c at t. Where the taper is zero the drift is v itself,
 * so the score (undefined at t = 1) is never multiplied in there.
 */
export function sdeDrift<T>(A: Algebra<T>, c: Coefficients<T>, x: T, v: T, epsT: T): T {
  return A.below(epsT, NOISE_ON, v, A.add(v, A.mul(epsT, scoreFromVelocity(A, c, x, v))));
}

/** eps(t) below this counts as zero (a float32 normal number, so the graph sees the same threshold). */
const NOISE_ON = 1e-30;

/**
 * One step of the method from t with step h > 0, as the header's formulas. `drift(t, x)` is
 * v + eps s; `noise` the step's standard normals (a state), `sigma` their scale.
 */
export function sdeStep<T, S>(W: StepWorld<T, S>, method: SdeMethod, t: T, h: T, x: S, noise: S, sigma: T): S {
  const A = W.time;
  const k1 = W.field(t, x);
  if (method === 'em') return W.combine(x, [[h, k1], [sigma, noise]]);
  const predicted = W.combine(x, [[h, k1], [sigma, noise]]);
  const k2 = W.field(A.add(t, h), predicted);
  const half = A.mul(h, A.c(1 / 2));
  return W.combine(x, [[half, k1], [half, k2], [sigma, noise]]);
}

/** sigma = sqrt(h (eps(t) + eps(t + h))). */
export function stepNoiseScale<T>(A: Algebra<T>, it: Interpolant, t: T, h: T, eps: T): T {
  return A.sqrt(A.mul(h, A.add(diffusionAt(A, it, t, eps), diffusionAt(A, it, A.add(t, h), eps))));
}

/** Refuses what the samplers cannot do, with the reason. */
export function checkSdeSetup(it: Interpolant, eps: number, t0: number, t1: number): void {
  if (!(eps >= 0 && Number.isFinite(eps))) throw new UserError(`the SDE's eps must be a finite number >= 0; got ${eps}`);
  if (!(t1 > t0)) throw new UserError(`SDE samplers run forward in time (t0 < t1); got t0=${t0}, t1=${t1}`);
  if (eps > 0 && scoreDenominatorVanishes(it)) {
    throw new UserError(`the ${it.title} interpolant's velocity does not determine the score on all of [0, 1); use eps = 0 or another interpolant`);
  }
}

/** The counter of step k of chunk `chunk`: its key is streamKey(seed, SDE_STREAM, chunk * steps + k). */
export function sdeCounter(chunk: number, steps: number, k: number): number {
  return (chunk * steps + k) >>> 0;
}

/** The host world of `sdeStep`: Float64 states [n, d] as promises (as `integrateFixed`'s), drift v + eps s. */
function hostWorld(f: VelocityFn, it: Interpolant, eps: number, n: number, d: number): StepWorld<number, Promise<Float64Array>> {
  return {
    time: numbers,
    combine: hostCombine,
    async field(t, xp) {
      const x = await xp;
      const v = await velocityAt(f, t, x, n, d);
      const epsT = diffusionAt(numbers, it, t, eps);
      const c = coefficientsAt(it, t);
      return v.map((vi, i) => sdeDrift(numbers, c, x[i], vi, epsT));
    },
  };
}

/** One host step from t (h > 0) with the given standard normals `noise` [n, d]. */
export function hostSdeStep(f: VelocityFn, it: Interpolant, method: SdeMethod, eps: number, t: number, h: number, x: Float64Array, noise: Float64Array, n: number, d: number): Promise<Float64Array> {
  const world = hostWorld(f, it, eps, n, d);
  return sdeStep(world, method, t, h, Promise.resolve(x), Promise.resolve(noise), stepNoiseScale(numbers, it, t, h, eps));
}

export interface SdeOptions {
  method: SdeMethod;
  eps: number;
  steps: number;
  seed: number;
  t0?: number;
  /** Default: the interpolant's tMax. */
  t1?: number;
  /** Which chunk of a larger solve these rows are (selects the noise keys; default 0). */
  chunk?: number;
}

/**
 * Integrates the SDE on the host (Float64 states) from x0 [n, d] at t0 to t1 in `steps` equal
 * steps; the noise is the fused program's (same keys, Box-Muller pairs over the row-major state).
 *
 *   const { x } = await integrateSde(velocity, trig, x0, n, d, { method: 'sde-heun', eps: 0.5, steps: 100, seed: 1 });
 */
export async function integrateSde(f: VelocityFn, it: Interpolant, x0: ArrayLike<number>, n: number, d: number, o: SdeOptions): Promise<{ x: Float64Array; nfe: number }> {
  checkBatch('integrateSde x0', x0, n, d);
  const t0 = o.t0 ?? 0;
  const t1 = o.t1 ?? it.tMax;
  checkSdeSetup(it, o.eps, t0, t1);
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new UserError(`steps must be a positive integer; got ${o.steps}`);
  const counted = countCalls(f);
  const h = (t1 - t0) / o.steps;
  let x: Float64Array = Float64Array.from(x0);
  const noise = new Float64Array(n * d);
  for (let k = 0; k < o.steps; k++) {
    const t = t0 + k * h;
    new Rng(o.seed, SDE_STREAM, sdeCounter(o.chunk ?? 0, o.steps, k)).fillNormal(noise);
    x = await hostSdeStep(counted.fn, it, o.method, o.eps, t, h, x, noise, n, d);
  }
  return { x, nfe: counted.calls() };
}
