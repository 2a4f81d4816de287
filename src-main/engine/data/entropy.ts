/**
 * Differential entropy of a distribution with a known log-density, H = -E[log rho(X)], in nats.
 * Where no closed form exists (Gaussian mixtures) it is estimated by Monte Carlo:
 *
 *   H^ = -(1/n) sum_i log rho(x_i),  x_i ~ rho,    stdErr = sd(log rho(x_i)) / sqrt(n)
 */
import { UserError } from '../../errors.js';
import type { EntropyEstimate, Sampler } from './types.js';

/** Points per Monte Carlo entropy estimate: stdErr ~ 1/300 nat for the 2-D toys. */
export const ENTROPY_MC_SAMPLES = 100_000;

/** Monte Carlo entropy (formula above) from n samples drawn with `seed`. */
export function entropyMonteCarlo(dist: Sampler, n: number, seed: number): { value: number; stdErr: number } {
  if (!dist.logDensity) throw new UserError('this distribution has no exact log-density, so its entropy cannot be estimated');
  if (!Number.isInteger(n) || n < 2) throw new UserError(`entropy estimate needs n >= 2 samples, got ${n}`);
  const logp = dist.logDensity(dist.sample(n, seed), n);
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const delta = logp[i] - mean;
    mean += delta / (i + 1);
    m2 += delta * (logp[i] - mean);
  }
  return { value: -mean, stdErr: Math.sqrt(m2 / (n - 1) / n) };
}

/** Exact entropy when the distribution states one, else a Monte Carlo estimate; undefined without a density. */
export function entropyOf(
  dist: Sampler & { entropy?: number },
  seed: number,
  n = ENTROPY_MC_SAMPLES,
): EntropyEstimate | undefined {
  if (dist.entropy !== undefined) return { value: dist.entropy, exact: true };
  if (!dist.logDensity) return undefined;
  return { ...entropyMonteCarlo(dist, n, seed), exact: false };
}
