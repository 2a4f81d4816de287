/**
 * The likelihood at an intermediate time T (SCIENCE.md sections 4 and 7): held-out data points
 * x1 are pushed to time T along the run's interpolant, x_T = a(T) x0 + b(T) x1 + gamma(T) z, and
 * their NLL under the flow,
 *
 *   -log rho_T(x_T) = -log rho0(X_0) + integral_0^T div v(t, X_t) dt,   X solved backward from x_T,
 *
 * is a cross-entropy: its mean bounds the entropy of rho_T from above. At T = 0 the pushed points
 * are base draws and the NLL is the base's own (no solve).
 */
import { UserError } from '../errors.js';
import type { Backend } from '../engine/onnx/runtime.js';
import { meanStdErr } from '../engine/metrics/index.js';
import { standardNormalLogDensity } from '../engine/sample/likelihood.js';
import { logLikelihoodAtTime, pushAlongPath } from '../engine/sample/likelihoodAtTime.js';
import { EXACT_DIVERGENCE_MAX_DIM, netDivergence } from '../engine/sample/netDivergence.js';
import type { RunWeights } from './runModel.js';

export interface AtTimeSettings {
  at: number;
  solver?: 'dopri5' | 'rk4';
  rtol?: number;
  atol?: number;
  steps?: number;
  maxSteps?: number;
  hutchinson?: number;
}

/** Refuses a time outside [0, tMax] or a run without a Gaussian base, naming the field `at`. */
export function checkAtTime(w: RunWeights, at: number): void {
  const it = w.interpolant;
  if (!(Number.isFinite(at) && at >= 0 && at <= it.tMax)) {
    throw new UserError(`at must be a time in [0, ${it.tMax}] (the ${w.config.interpolant} interpolant's range), got ${at}`, 'at');
  }
  if (w.config.base !== 'gaussian') {
    throw new UserError(`at needs a run with a Gaussian base (the reference density at t = 0); this run's base is the dataset '${w.config.base}'`, 'at');
  }
}

/** `nll` (nats, with its standard error) of n held-out points x1 pushed to time `at`; `at` is recorded beside it. */
export async function likelihoodAtTimeFigures(
  w: RunWeights, x1: Float32Array, n: number, s: AtTimeSettings, backend: Backend, threads: number, seed: number,
): Promise<Record<string, number | string>> {
  checkAtTime(w, s.at);
  const d = w.net.dim;
  const it = w.interpolant;
  if (s.at === 0) {
    const lp = standardNormalLogDensity(pushAlongPath(it, x1, n, d, 0, seed), n, d);
    const m = meanStdErr(Array.from(lp, (l) => -l));
    return { at: 0, nll: m.mean, nllStdErr: m.stdErr, bitsPerDim: m.mean / (d * Math.LN2), nfe: 0 };
  }
  const probes = s.hutchinson ?? (d <= EXACT_DIVERGENCE_MAX_DIM ? 0 : 16);
  const div = await netDivergence(w.net, w.params, { probes, seed, backend, threads });
  try {
    const r = await logLikelihoodAtTime(div.fn, it, x1, n, d, {
      at: s.at,
      seed,
      solver: s.solver ?? 'dopri5',
      rtol: s.rtol ?? 1e-5,
      atol: s.atol ?? 1e-5,
      steps: s.steps ?? 100,
      maxSteps: s.maxSteps,
      baseLogDensity: standardNormalLogDensity,
    });
    return {
      at: s.at, nll: r.nll, nllStdErr: r.nllStdErr, bitsPerDim: r.bitsPerDim, nfe: r.nfe,
      divergence: probes ? `hutchinson-${probes}` : 'exact',
    };
  } finally {
    await div.release();
  }
}
