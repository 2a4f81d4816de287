/**
 * The engine functions an engine process runs, gathered in one module so the worker never
 * reaches into the engine's folders itself: training, sampling (with evenly spaced snapshots
 * for the time slider), the velocity field on a grid, evaluation, export and backend probing.
 */
import { UserError } from '../../errors.js';
import type { Store } from '../../store/index.js';
import { trainRun as serviceTrainRun, type TrainRunOptions } from '../../service/train.js';
import { sampleRun as serviceSampleRun } from '../../service/sample.js';
import { evaluateRun as serviceEvaluateRun } from '../../service/evaluate.js';
import { loadRunWeights } from '../../service/runModel.js';
import { getInterpolant } from '../interpolants/schedules.js';
import { availableBackends } from '../onnx/runtime.js';
import { NetSampler, type SolverName } from '../sample/netSampler.js';
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

export { velocityGrid } from '../../service/sample.js';

/**
 * The full evaluation (likelihood and KL gap, calibrated distances, transport geometry), recorded
 * with the run; the numeric figures go back to the app.
 */
export async function evaluateRun(o: { store: Store; runId: string; n?: number }): Promise<Record<string, number>> {
  const all = await serviceEvaluateRun({ store: o.store, runId: o.runId, n: o.n });
  const results: Record<string, number> = {};
  for (const [k, v] of Object.entries(all)) if (typeof v === 'number') results[k] = v;
  return results;
}

export async function backends(): Promise<{ name: string; available: boolean; note?: string }[]> {
  return (await availableBackends()).map((b) => ({ name: b.name, available: b.available, ...(b.note ? { note: b.note } : {}) }));
}
