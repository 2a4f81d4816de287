import { UserError } from '../../errors.js';
import { Rng } from '../random.js';

/**
 * Hutchinson's trace estimator: for a probe e with E[e e^T] = I, E[e^T J e] = tr J, so
 * div v = tr(dv/dx) is estimated from vector-Jacobian products with a few probes. With
 * A = (J + J^T) / 2, Rademacher probes (entries +-1) have Var = 2 (|A|_F^2 - sum_i A_ii^2), the
 * smallest among such probes, and Gaussian probes Var = 2 |A|_F^2.
 */
export type ProbeKind = 'rademacher' | 'gaussian';

/** The RNG stream of probes, so probes never share draws with other users of the same seed. */
export const PROBE_STREAM = 0x50524f42; // "PROB"

/**
 * Probes e[c, p, :] for c < count, p < n, row-major [count, n, d], drawn from Rng(seed, PROBE_STREAM)
 * in that order (so the first k probes of a larger set are the same k probes).
 */
export function makeProbes(kind: ProbeKind, count: number, n: number, d: number, seed: number): Float32Array {
  for (const [name, value] of [['count', count], ['n', n], ['d', d]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UserError(`probe ${name} must be a positive integer; got ${value}`);
  }
  const rng = new Rng(seed, PROBE_STREAM);
  const out = new Float32Array(count * n * d);
  if (kind === 'rademacher') {
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform() < 0.5 ? -1 : 1;
  } else if (kind === 'gaussian') {
    rng.fillNormal(out);
  } else {
    throw new UserError(`unknown probe kind '${String(kind)}'; use 'rademacher' or 'gaussian'`);
  }
  return out;
}

/**
 * Per-probe estimates e_c^T (J e_c) for each point: probes and products (J e, from a
 * Jacobian-vector or vector-Jacobian product) are [count, n, d]; the result is [count, n].
 */
export function probeQuadraticForms(
  probes: ArrayLike<number>,
  products: ArrayLike<number>,
  count: number,
  n: number,
  d: number,
): Float64Array {
  if (probes.length !== count * n * d || products.length !== count * n * d) {
    throw new Error(`probeQuadraticForms: probes and products must have count*n*d = ${count * n * d} values`);
  }
  const out = new Float64Array(count * n);
  for (let r = 0; r < count * n; r++) {
    let acc = 0;
    for (let j = 0; j < d; j++) acc += probes[r * d + j] * products[r * d + j];
    out[r] = acc;
  }
  return out;
}

/**
 * Per-point Hutchinson estimate from per-probe values [count, n]: the mean over probes and its
 * standard error sqrt(sample variance / count) (NaN with a single probe).
 */
export function hutchinsonEstimate(
  perProbe: ArrayLike<number>,
  count: number,
  n: number,
): { mean: Float64Array; stdErr: Float64Array } {
  if (perProbe.length !== count * n) {
    throw new Error(`hutchinsonEstimate: expected count*n = ${count * n} values, got ${perProbe.length}`);
  }
  const mean = new Float64Array(n);
  const stdErr = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let sum = 0;
    for (let c = 0; c < count; c++) sum += perProbe[c * n + p];
    const mu = sum / count;
    let ss = 0;
    for (let c = 0; c < count; c++) ss += (perProbe[c * n + p] - mu) ** 2;
    mean[p] = mu;
    stdErr[p] = count > 1 ? Math.sqrt(ss / (count - 1) / count) : Number.NaN;
  }
  return { mean, stdErr };
}
