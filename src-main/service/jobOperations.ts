/**
 * The operations an engine process runs for the app's jobs, each a service operation shaped for
 * the API: a training (with previews and final samples), samples with evenly spaced snapshots
 * for the time slider, the velocity field on a grid, the numeric figures of an evaluation,
 * export, and which backends work.
 */
import { DEFAULT_SOLVER_STEPS, type NoiseSpec, type SampleDirection, type SolverName } from '../api/schemas.js';
import type { Store } from '../store/index.js';
import { availableBackends } from '../engine/onnx/runtime.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import { evaluateRun, splitEvaluation } from './evaluate.js';
import { loadRunWeights } from './runModel.js';
import { sampleRun } from './sample.js';

export { runTraining } from './runTraining.js';
export { exportRun } from './export.js';
export { velocityGrid } from './sample.js';
export { summarizeTable } from './datasetFiles.js';
export { encodeDecode } from './encodeDecode.js';
export { noiseFrames } from './noiseFrames.js';

export interface SampleRequest {
  store: Store;
  runId: string;
  n: number;
  solver: SolverName;
  steps?: number;
  /** Number of evenly spaced states to return, t = 0 and t = tMax included (fixed-step solvers). */
  snapshots?: number;
  direction?: SampleDirection;
  seed?: number;
  rtol?: number;
  atol?: number;
  sdeEps?: number;
  noise?: NoiseSpec;
  /** Keep the samples as the run's latest (default true); a comparison's draws are a view only. */
  keep?: boolean;
}

export async function sampleWithSnapshots(o: SampleRequest) {
  const steps = o.steps ?? Math.max(o.snapshots ? o.snapshots - 1 : 0, DEFAULT_SOLVER_STEPS);
  const r = await sampleRun({
    store: o.store, runId: o.runId, n: o.n, solver: o.solver, steps, snapshots: o.snapshots !== undefined,
    reverse: o.direction === 'encode', seed: o.seed, rtol: o.rtol, atol: o.atol, sdeEps: o.sdeEps, noise: o.noise, save: o.keep,
  });
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

/**
 * The full evaluation (likelihood and KL gap, calibrated distances, transport geometry), recorded
 * with the run; the numeric figures go back to the app.
 */
export async function evaluationFigures(o: { store: Store; runId: string; n?: number; at?: number; nfe?: boolean }): Promise<ReturnType<typeof splitEvaluation>> {
  return splitEvaluation(await evaluateRun({ store: o.store, runId: o.runId, n: o.n, at: o.at, nfe: o.nfe }));
}

export async function backends(): Promise<{ name: string; available: boolean; reason?: string; note?: string }[]> {
  return (await availableBackends()).map((b) => ({ name: b.name, available: b.available, ...(b.reason ? { reason: b.reason } : {}), ...(b.note ? { note: b.note } : {}) }));
}
