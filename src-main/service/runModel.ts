/** A run's velocity net: its spec from the config and the recorded sample shape, its weights from the store. */
import { UserError } from '../errors.js';
import { recordedConfig, type ExperimentConfig } from '../api/config.js';
import { netSpecFor, type NetSpec } from '../engine/nets/velocityNet.js';
import { getInterpolant, type Interpolant } from '../engine/interpolants/schedules.js';
import { learnedInterpolant, type LearnedCoefficients } from '../engine/interpolants/learned.js';
import type { RunRecord, Store } from '../store/index.js';

/** The net of a run whose samples have `shape` ([d] for points, [C, H, W] for images). */
export function netSpec(config: ExperimentConfig, shape: number | readonly number[]): NetSpec {
  return netSpecFor(config.net, typeof shape === 'number' ? [shape] : shape);
}

export interface RunWeights {
  run: RunRecord;
  config: ExperimentConfig;
  /** EMA weights (what samples and exports use). */
  params: Float32Array;
  step: number;
  net: NetSpec;
  /** One sample's shape, as the checkpoint records it: [d], or [C, H, W] for images. */
  shape: number[];
  /** The run's interpolant: its family, or for 'learned' the coefficients of this checkpoint. */
  interpolant: Interpolant;
}

/** The sample shape a checkpoint records (`extra.shape`; checkpoints before images recorded only `dim`). */
export function recordedShape(extra: Record<string, unknown>, runId: string): number[] {
  const shape = Array.isArray(extra.shape) ? extra.shape.map(Number) : [Number(extra.dim)];
  if (!shape.length || !shape.every((k) => Number.isInteger(k) && k >= 1)) throw new Error(`checkpoint of run ${runId} does not record the sample shape`);
  return shape;
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
  const shape = recordedShape(ck.extra, run.id);
  const learned = config.interpolant === 'learned' ? recordedCoefficients(ck.extra) : null;
  const interpolant = learned ? learnedInterpolant(learned) : getInterpolant(config.interpolant);
  return { run, config, params: ck.ema ?? ck.params, step: ck.step, net: netSpec(config, shape), shape, interpolant };
}
