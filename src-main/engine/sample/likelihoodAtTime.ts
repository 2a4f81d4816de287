/**
 * Likelihood at an intermediate time T of the interpolant (SCIENCE.md sections 4 and 7). Held-out
 * data points x1 are pushed to time T along the interpolant,
 *
 *   x_T = a(T) x0 + b(T) x1 + gamma(T) z,   x0 ~ rho0 (fresh base draws or base rows), z ~ N(0, I),
 *
 * so the x_T are draws of rho_T, and their log-density under the flow is
 *
 *   log rho_T(x_T) = log rho0(X_0) - integral_0^T div v(t, X_t) dt,   X solved backward from X_T = x_T.
 *
 * The mean NLL of the pushed points is a cross-entropy: it bounds the entropy of rho_T from above,
 * with equality when the flow's rho_T is the interpolant's.
 *
 *   const r = await logLikelihoodAtTime(field, trig, heldOut, n, d, { at: 0.5, seed: 1, solver: 'dopri5',
 *                                                                  baseLogDensity: standardNormalLogDensity });
 */
import { UserError } from '../../errors.js';
import { numbers } from '../interpolants/algebra.js';
import { pathPoint } from '../interpolants/path.js';
import { coefficientsAt, type Interpolant } from '../interpolants/schedules.js';
import { Rng } from '../random.js';
import { logLikelihood, type LikelihoodOptions, type LikelihoodResult } from './likelihood.js';
import type { VelocityDivFn } from './types.js';
import { checkBatch } from './velocityCall.js';

/** The random stream of the base and latent draws that push points along the path. */
export const PUSH_STREAM = 3;

/**
 * x_T for every row of x1 [n, d]: the base draws x0 are `base` rows when given (a dataset base),
 * else standard normals; z is standard normal (only when the interpolant has a latent term).
 */
export function pushAlongPath(it: Interpolant, x1: ArrayLike<number>, n: number, d: number, T: number, seed: number, base?: ArrayLike<number>): Float64Array {
  checkBatch('pushAlongPath x1', x1, n, d);
  if (base !== undefined) checkBatch('pushAlongPath base', base, n, d);
  if (!(T >= 0 && T <= it.tMax)) throw new UserError(`the time must lie in [0, ${it.tMax}] for the ${it.title} interpolant; got ${T}`);
  const rng = new Rng(seed, PUSH_STREAM);
  const c = coefficientsAt(it, T);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const x0 = base === undefined ? rng.normal() : base[i];
    const z = it.latentNoise ? rng.normal() : null;
    out[i] = pathPoint(numbers, c, x0, x1[i], z).xt;
  }
  return out;
}

export interface AtTimeOptions extends Omit<LikelihoodOptions, 'at'> {
  /** The time T in (0, tMax]. */
  at: number;
  /** Seed of the base and latent draws. */
  seed: number;
  /** Base rows [n, d] to pair with the points (a dataset base); default: standard normal draws. */
  base?: ArrayLike<number>;
}

/** log rho_T of held-out points pushed to time T (see the header), with the pushed points. */
export async function logLikelihoodAtTime(
  fdiv: VelocityDivFn,
  it: Interpolant,
  x1: ArrayLike<number>,
  n: number,
  d: number,
  options: AtTimeOptions,
): Promise<LikelihoodResult & { xT: Float64Array }> {
  const { at, seed, base, ...rest } = options;
  if (!(at > 0)) throw new UserError(`the time of the points must lie in (0, ${it.tMax}]; got ${at}`);
  const xT = pushAlongPath(it, x1, n, d, at, seed, base);
  return { ...(await logLikelihood(fdiv, xT, n, d, { ...rest, at })), xT };
}
