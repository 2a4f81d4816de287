import { UserError } from '../../errors.js';
import { meanStdErr as meanAndStdErr } from '../metrics/meanStdErr.js';
import { solveOde, type SolverName } from './solveOde.js';
import type { VelocityDivFn, VelocityFn } from './types.js';
import { checkBatch } from './velocityCall.js';

const LOG_TWO_PI = Math.log(2 * Math.PI);

/** log N(x; 0, I) = -(d ln 2 pi + |x|^2) / 2 per point of x [n, d]: the usual base density rho0. */
export function standardNormalLogDensity(x0: ArrayLike<number>, n: number, d: number): Float64Array {
  checkBatch('standardNormalLogDensity', x0, n, d);
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += x0[p * d + j] ** 2;
    out[p] = -0.5 * (d * LOG_TWO_PI + sq);
  }
  return out;
}

export interface LikelihoodOptions {
  solver: SolverName;
  /**
   * The time T of the points (default 1): the integral runs from T back to 0. Pass the
   * interpolant's tMax (VP), where sampling ends and beyond which the net was never trained.
   */
  at?: number;
  /** dopri5 tolerances; the error norm covers the log-det component too. */
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  /** Fixed-step solvers: number of steps. */
  steps?: number;
  /** log rho0 per point of x0 [n, d]. */
  baseLogDensity: (x0: Float64Array, n: number, d: number) => Float64Array;
}

export interface LikelihoodResult {
  /** log rho_T(x) per point, nats (T = `at`). */
  logLikelihood: Float64Array;
  /** Mean negative log-likelihood over the points (nats) and its standard error. */
  nll: number;
  nllStdErr: number;
  /** nll / (d ln 2); for images add the dequantisation terms before calling this bits per dimension. */
  bitsPerDim: number;
  /** The codes X_0 the points map to. */
  x0: Float64Array;
  /** integral_0^T div v(t, X_t) dt per point. */
  divIntegral: Float64Array;
  nfe: number;
}

/**
 * The field of the time-reversed flow on [0, T], s = T - t: u(s, x) = -v(T - s, x) (and div u =
 * -div v). Integrating u backward from s = T to 0 runs the original flow forward from t = 0 to T.
 */
export function reversedInTime(f: VelocityDivFn, T: number): VelocityDivFn {
  return async (s, x, n, d) => {
    const r = await f(T - s, x, n, d);
    return { v: r.v.map((a) => -a), div: r.div.map((a) => -a) };
  };
}

/**
 * The augmented field on z = (x, l), row-major [n, d + 1]: dz/dt = (v(t, x), div v(t, x)).
 */
function augmented(fdiv: VelocityDivFn, n: number, d: number): VelocityFn {
  const x = new Float64Array(n * d);
  return async (t, z) => {
    for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) x[p * d + j] = z[p * (d + 1) + j];
    const { v, div } = await fdiv(t, x, n, d);
    if (v.length !== n * d || div.length !== n) {
      throw new Error(`velocity+divergence at t=${t} returned ${v.length} and ${div.length} values; expected ${n * d} and ${n}`);
    }
    const out = new Float64Array(n * (d + 1));
    for (let p = 0; p < n; p++) {
      for (let j = 0; j < d; j++) out[p * (d + 1) + j] = v[p * d + j];
      out[p * (d + 1) + d] = div[p];
    }
    return out;
  };
}

/**
 * Log-likelihoods by the instantaneous change of variables (SCIENCE.md sections 4 and 7): solve the
 * augmented state (X, l) backward from (x, 0) at t = T to t = 0 under dX/dt = v, dl/dt = div v, so
 * l(0) = -integral_0^T div v dt and
 *
 *   log rho_T(x) = log rho0(X_0) - integral_0^T div v(t, X_t) dt = log rho0(X_0) + l(0).
 *
 *   const r = await logLikelihood(field, x1, n, d, { solver: 'dopri5', rtol: 1e-5, atol: 1e-5,
 *                                                   baseLogDensity: standardNormalLogDensity });
 */
export async function logLikelihood(
  fdiv: VelocityDivFn,
  x1: ArrayLike<number>,
  n: number,
  d: number,
  options: LikelihoodOptions,
): Promise<LikelihoodResult> {
  checkBatch('logLikelihood x1', x1, n, d);
  if (typeof options.baseLogDensity !== 'function') {
    throw new UserError('logLikelihood needs baseLogDensity, the log-density of rho0 (e.g. standardNormalLogDensity)');
  }
  const z1 = new Float64Array(n * (d + 1));
  for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) z1[p * (d + 1) + j] = x1[p * d + j];

  const { solver, rtol, atol, maxSteps, steps, at = 1 } = options;
  if (!(at > 0 && at <= 1)) throw new UserError(`the time of the points must lie in (0, 1]; got ${at}`);
  const solved = await solveOde(augmented(fdiv, n, d), z1, n, d + 1, { t0: at, t1: 0, solver, rtol, atol, maxSteps, steps });

  const x0 = new Float64Array(n * d);
  const divIntegral = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    for (let j = 0; j < d; j++) x0[p * d + j] = solved.x[p * (d + 1) + j];
    divIntegral[p] = -solved.x[p * (d + 1) + d];
  }
  const base = options.baseLogDensity(x0, n, d);
  if (base.length !== n) throw new Error(`baseLogDensity returned ${base.length} values for ${n} points`);
  const logLik = new Float64Array(n);
  for (let p = 0; p < n; p++) logLik[p] = base[p] - divIntegral[p];
  const { mean, stdErr } = meanAndStdErr(logLik.map((l) => -l));
  return {
    logLikelihood: logLik,
    nll: mean,
    nllStdErr: stdErr,
    bitsPerDim: mean / (d * Math.LN2),
    x0,
    divIntegral,
    nfe: solved.nfe,
  };
}
