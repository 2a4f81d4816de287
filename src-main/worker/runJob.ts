/**
 * Runs one job inside the engine process: a training (with its pause, resume and stop
 * controls) or one of the short interactive jobs (sample, velocity field, evaluate, export).
 */
import type { Store } from '../store/index.js';
import type { ApiEvent } from '../api/events.js';
import type { ControlAction, JobRequest } from '../api/protocol.js';
import {
  backends, encodeDecode, evaluationFigures, exportRun, noiseFrames, runTraining, sampleWithSnapshots, summarizeTable, velocityGrid,
} from '../service/jobOperations.js';
import { nearestImages } from '../service/nearestImages.js';
import { estimateTraining, imagePreview } from '../service/trainEstimate.js';

/** The handle the worker keeps for the job in progress, to route its controls. */
export class JobControl {
  readonly abort = new AbortController();
  paused = false;

  apply(action: ControlAction): void {
    if (action === 'pause') this.paused = true;
    else if (action === 'unpause') this.paused = false;
    else this.abort.abort();
  }
}

export async function runJob(
  store: Store, request: JobRequest, control: JobControl, onEvent: (e: ApiEvent) => void,
): Promise<unknown> {
  switch (request.kind) {
    case 'train':
      return runTraining({
        store,
        config: request.config,
        resumeRunId: request.resumeRunId,
        onEvent,
        signal: control.abort.signal,
        isPaused: () => control.paused,
      });
    case 'sample':
      return sampleWithSnapshots({ store, ...request });
    case 'velocity':
      return { v: await velocityGrid({ store, ...request }) };
    case 'cycle':
      return encodeDecode({ store, ...request });
    case 'frames':
      return noiseFrames({ store, ...request });
    case 'nearest':
      return nearestImages(store, request.runId, request.x, request.n);
    case 'evaluate':
      return evaluationFigures({ store, runId: request.runId, n: request.n, at: request.at, nfe: request.nfe });
    case 'export':
      return exportRun({ store, ...request });
    case 'backends':
      return backends();
    case 'dataset':
      return summarizeTable(request.path, request.rows, request.stats);
    case 'images':
      return imagePreview(request.spec, request.n, request.seed);
    case 'estimate':
      return estimateTraining(request.config);
  }
}
