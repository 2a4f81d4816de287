/**
 * The engine functions an engine process runs, gathered in one module so the worker never
 * reaches into the engine's folders itself: training, sampling (with evenly spaced snapshots
 * for the time slider), the velocity field on a grid, evaluation, export and backend probing.
 */
import { UserError } from '../../errors.js';
import type { Store } from '../../store/index.js';
import { trainRun as serviceTrainRun, type TrainRunOptions } from '../../service/train.js';
import { sampleRun as serviceSampleRun } from '../../service/sample.js';
import { loadRunWeights } from '../../service/runModel.js';
import { loadRunData } from '../../service/runData.js';
import { getInterpolant } from '../interpolants/schedules.js';
import { availableBackends, resolveBackend } from '../onnx/runtime.js';
import { NetSampler, type SolverName } from '../sample/netSampler.js';
import { energyDistance, slicedW2 } from '../metrics/index.js';
import { Rng } from '../random.js';
import { PreviewSampler } from './previewSampler.js';

export { exportRun } from '../../service/export.js';
export type { TrainSummary } from '../../service/events.js';

/** Points drawn for the final samples of a training (what the run page shows when it ends). */
export const FINAL_SAMPLE_POINTS = 2000;
/** RK4 steps for those samples: converged to plotting accuracy for the smooth 2-D fields trained here. */
const FINAL_SAMPLE_STEPS = 50;

/**
 * Trains, streaming preview samples of the EMA weights while it runs, and once it ends (completed
 * or stopped) draws FINAL_SAMPLE_POINTS samples from the last checkpoint for the run page.
 */
export async function trainRun(opts: TrainRunOptions) {
  const previews = new PreviewSampler(opts.store, (e) => opts.onEvent?.(e));
  try {
    const summary = await serviceTrainRun({ ...opts, onChunk: (runId, state) => previews.maybeSample(runId, state) });
    if (summary.status !== 'failed' && summary.steps > 0) {
      try {
        const r = await serviceSampleRun({ store: opts.store, runId: summary.runId, n: FINAL_SAMPLE_POINTS, solver: 'rk4', steps: FINAL_SAMPLE_STEPS });
        opts.onEvent?.({ type: 'samples', runId: summary.runId, step: summary.steps, n: r.n, d: r.d, data: r.x });
      } catch {
        // Samples are a view of the run, not part of it: a run without final samples is still whole.
      }
    }
    return summary;
  } finally {
    await previews.release();
  }
}

export interface SampleRequest {
  store: Store;
  runId: string;
  n: number;
  solver: SolverName;
  steps?: number;
  /** Number of evenly spaced states to return, t = 0 and t = tMax included (fixed-step solvers). */
  snapshots?: number;
}

export async function sampleRun(o: SampleRequest) {
  if (o.snapshots !== undefined && o.solver === 'dopri5') {
    throw new UserError('snapshots need a fixed-step solver (euler, heun or rk4); dopri5 chooses its own steps');
  }
  const steps = o.steps ?? Math.max(o.snapshots ? o.snapshots - 1 : 0, 50);
  const r = await serviceSampleRun({ store: o.store, runId: o.runId, n: o.n, solver: o.solver, steps, snapshots: o.snapshots !== undefined });
  const base = { n: r.n, d: r.d, nfe: r.nfe, seconds: r.seconds, x: r.x };
  if (!o.snapshots || !r.trajectory) return base;
  const tMax = getInterpolant(loadRunWeights(o.store, o.runId).config.interpolant).tMax;
  // frames[k] is the state at t = k * tMax / steps; frame 0 is the starting points.
  const frames = [r.x0, ...r.trajectory];
  const t: number[] = [];
  const xs: Float32Array[] = [];
  for (let i = 0; i < o.snapshots; i++) {
    const k = Math.round((i * steps) / (o.snapshots - 1));
    t.push((k * tMax) / steps);
    xs.push(frames[k]);
  }
  return { ...base, snapshots: { t, xs } };
}

/** v(t, x) of the run's EMA weights at n points (row-major [n, d]). */
export async function velocityGrid(o: { store: Store; runId: string; t: number; points: Float32Array; n: number }): Promise<Float32Array> {
  const w = loadRunWeights(o.store, o.runId);
  if (o.points.length !== o.n * w.net.dim) {
    throw new UserError(`points holds ${o.points.length} values, expected n x d = ${o.n} x ${w.net.dim}`);
  }
  const sampler = new NetSampler(w.net, w.params, await resolveBackend(w.config.backend), w.config.threads);
  try {
    return Float32Array.from(await sampler.velocity()(o.t, o.points, o.n, w.net.dim));
  } finally {
    await sampler.release();
  }
}

/** Default sample size of an evaluation: distances settle to ~1% at this size for 2-D toys. */
const EVALUATION_POINTS = 5000;
const EVALUATION_STREAM = 0x4556414c; // "EVAL"

/**
 * Sample-based distances between fresh samples and the held-out data (energy distance, sliced
 * W2), recorded with the run. Stands in until the evaluation service offers the full set.
 */
export async function evaluateRun(o: { store: Store; runId: string; n?: number }): Promise<Record<string, number>> {
  const run = o.store.getRun(o.runId);
  const n = o.n ?? EVALUATION_POINTS;
  const data = loadRunData(loadRunWeights(o.store, run.id).config);
  const test = data.test;
  const m = Math.min(n, test.n);
  const samples = await serviceSampleRun({ store: o.store, runId: run.id, n: m, solver: 'rk4', steps: FINAL_SAMPLE_STEPS, save: false });
  const seed = new Rng(run.seed, EVALUATION_STREAM).int(0x7fffffff);
  const results: Record<string, number> = {
    samples: m,
    energy_distance: energyDistance(samples.x, m, test.data, m, test.d),
    sliced_w2: slicedW2(samples.x, m, test.data, m, test.d, { seed }),
  };
  o.store.saveEvaluation(run.id, { n: m, solver: 'rk4', steps: FINAL_SAMPLE_STEPS }, results);
  return results;
}

export async function backends(): Promise<{ name: string; available: boolean }[]> {
  return (await availableBackends()).map((b) => ({ name: b.name, available: b.available }));
}
