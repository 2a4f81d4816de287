/** A run's velocity net: its spec from the config and its weights from the store. */
import { UserError } from '../errors.js';
import { recordedConfig, type ExperimentConfig } from '../api/config.js';
import type { MlpSpec } from '../engine/nets/mlp.js';
import { getInterpolant, type Interpolant } from '../engine/interpolants/schedules.js';
import { learnedInterpolant, type LearnedCoefficients } from '../engine/interpolants/learned.js';
import type { RunRecord, Store } from '../store/index.js';

export function netSpec(config: ExperimentConfig, dim: number): MlpSpec {
  return { dim, ...config.net };
}

export interface RunWeights {
  run: RunRecord;
  config: ExperimentConfig;
  /** EMA weights (what samples and exports use). */
  params: Float32Array;
  step: number;
  net: MlpSpec;
  /** The run's interpolant: its family, or for 'learned' the coefficients of this checkpoint. */
  interpolant: Interpolant;
}

/** A learned interpolant's coefficients as a checkpoint records them (extra.interpolant), or null. */
export function recordedCoefficients(extra: Record<string, unknown> | null | undefined): LearnedCoefficients | null {
  const c = extra?.interpolant as LearnedCoefficients | undefined;
  return c && Array.isArray(c.alpha) && Array.isArray(c.beta) ? { alpha: c.alpha.map(Number), beta: c.beta.map(Number) } : null;
}

/** The EMA weights of a run's latest checkpoint; a run without one is a clear error. */
export function loadRunWeights(store: Store, runId: string): RunWeights {
  const run = store.getRun(runId);
  const ck = store.latestCheckpoint(run.id);
  if (!ck) {
    throw new UserError(`run ${run.id} has no checkpoint yet (status ${run.status}); train it first, or resume it`);
  }
  const config = recordedConfig(run.config);
  const dim = Number(ck.extra.dim);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`checkpoint of run ${run.id} does not record the data dimension`);
  const learned = config.interpolant === 'learned' ? recordedCoefficients(ck.extra) : null;
  const interpolant = learned ? learnedInterpolant(learned) : getInterpolant(config.interpolant);
  return { run, config, params: ck.ema ?? ck.params, step: ck.step, net: netSpec(config, dim), interpolant };
}
