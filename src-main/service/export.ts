/**
 * exportRun: the velocity net as a plain ONNX model (EMA weights, config in the metadata), the
 * run's latest samples as CSV or NPY ([n, d] points, [n, C, H, W] images), or the whole run record as JSON.
 */
import { writeFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { writeCsv, writeNpy, writeNpyArray } from '../engine/data/index.js';
import { exportVelocityModel } from '../engine/sample/velocityProgram.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import type { Store } from '../store/index.js';
import { VERSION } from '../version.js';
import { loadRunWeights, recordedShape } from './runModel.js';
import { makeFolders } from '../paths.js';

export const EXPORT_FORMATS = ['onnx', 'csv', 'npy', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRunOptions {
  store: Store;
  runId: string;
  format: ExportFormat;
  out: string;
}

export function velocityModelBytes(store: Store, runId: string): Uint8Array {
  const w = loadRunWeights(store, runId);
  return exportVelocityModel(w.net, w.params, {
    flowlab_version: VERSION,
    run_id: w.run.id,
    config: JSON.stringify(w.config),
    dim: String(w.net.dim),
    // one sample's shape: the model's x and v are [N, ...shape]
    shape: JSON.stringify(w.shape),
    t_max: String(getInterpolant(w.config.interpolant).tMax),
    checkpoint_step: String(w.step),
    weights: 'ema',
  });
}

export async function exportRun(o: ExportRunOptions): Promise<{ path: string; bytes: number }> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) {
    throw new UserError(`unknown export format '${o.format}'; choose one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const path = resolve(o.out);
  try {
    makeFolders(dirname(path));
  } catch (e) {
    throw new UserError(`cannot create the folder of ${path}: ${(e as Error).message}; choose another output path`, 'out');
  }
  const run = o.store.getRun(o.runId);
  try {
    if (o.format === 'onnx') {
      writeFileSync(path, velocityModelBytes(o.store, run.id));
    } else if (o.format === 'json') {
      const loss = o.store.metricsSeries(run.id, 'loss');
      const body = {
        run,
        loss: { steps: Array.from(loss.steps), values: Array.from(loss.values) },
        evaluations: o.store.listEvaluations(run.id),
      };
      writeFileSync(path, JSON.stringify(body, null, 2));
    } else {
      // the samples the run page shows: the latest drawn, else the latest training preview
      const s = o.store.latestSamples(run.id, 'final') ?? o.store.latestSamples(run.id, 'preview');
      if (!s) throw new UserError(`run ${run.id} has no samples yet; sample it first`);
      const shape = sampleShape(o.store, run.id, s.d);
      if (o.format === 'csv') writeCsv(path, s.data, s.n, s.d);
      else if (shape.length > 1) writeNpyArray(path, s.data.subarray(0, s.n * s.d), [s.n, ...shape]);
      else writeNpy(path, s.data, s.n, s.d);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new UserError(`cannot write ${path} (${code}); choose a writable output path`, 'out');
    throw e;
  }
  o.store.addArtifact(run.id, o.format, path);
  return { path, bytes: statSync(path).size };
}

/** One sample's shape as the run's checkpoint records it ([C, H, W] for images), else [d]. */
function sampleShape(store: Store, runId: string, d: number): number[] {
  const ck = store.latestCheckpoint(runId);
  const shape = ck ? recordedShape(ck.extra, runId) : [d];
  return shape.reduce((a, b) => a * b, 1) === d ? shape : [d];
}
