/**
 * A training as every door starts it (the app through its engine process, the CLI in its own):
 * trainRun, with preview samples of the EMA weights while it runs and, once it ends completed or
 * stopped, FINAL_SAMPLE_POINTS samples from the last checkpoint for the run page.
 */
import { DEFAULT_SOLVER_STEPS } from '../api/schemas.js';
import type { TrainSummary } from '../api/events.js';
import { FieldErrorMonitor } from './fieldErrorMonitor.js';
import { PreviewSampler } from './previewSampler.js';
import { sampleRun } from './sample.js';
import { trainRun, type TrainRunOptions } from './train.js';
import { UNIFORM_LOSS_METRIC, uniformTimeLoss } from './uniformLoss.js';

/** Points drawn for the final samples of a training (what the run page shows when it ends). */
export const FINAL_SAMPLE_POINTS = 2000;
/** Images drawn at the end of an image training (an 8 x 8 gallery) by the run's default sampler: seconds, not minutes, on a CPU. */
export const FINAL_SAMPLE_IMAGES = 64;

export async function runTraining(opts: TrainRunOptions): Promise<TrainSummary> {
  const previews = new PreviewSampler(opts.store, (e) => opts.onEvent?.(e));
  const fieldErrors = new FieldErrorMonitor(opts.store, (e) => opts.onEvent?.(e));
  try {
    const summary = await trainRun({
      ...opts,
      onChunk: async (runId, state, config, net) => {
        await opts.onChunk?.(runId, state, config, net);
        await previews.maybeSample(runId, state, config, net);
        await fieldErrors.maybeMeasure(runId, state, config, net);
      },
    });
    if (fieldErrors.last !== null) summary.fieldError = fieldErrors.last;
    if (summary.status !== 'failed' && summary.steps > 0) {
      try {
        const u = await uniformTimeLoss(opts.store, summary.runId);
        opts.store.appendMetricRun(summary.runId, UNIFORM_LOSS_METRIC, u.step, [u.value]);
        summary.uniformLoss = u.value;
        opts.onEvent?.({ type: 'metric', runId: summary.runId, name: UNIFORM_LOSS_METRIC, steps: [u.step], values: [u.value] });
      } catch {
        // a figure of the run, not part of it
      }
      try {
        const images = opts.store.latestCheckpoint(summary.runId)?.extra.shape;
        const many = Array.isArray(images) && images.length > 1;
        // images: the run's default sampler (IMAGE_SAMPLER), what `sample` draws
        const r = await sampleRun({ store: opts.store, runId: summary.runId, ...(many ? { n: FINAL_SAMPLE_IMAGES } : { n: FINAL_SAMPLE_POINTS, solver: 'rk4', steps: DEFAULT_SOLVER_STEPS }) });
        opts.onEvent?.({ type: 'samples', runId: summary.runId, step: summary.steps, n: r.n, d: r.d, data: r.x });
      } catch {
        // Samples are a view of the run, not part of it: a run without final samples is still whole.
      }
    }
    return summary;
  } finally {
    await previews.release();
    await fieldErrors.release();
  }
}
