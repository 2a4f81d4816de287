/**
 * The figures the runs table compares, per run: a windowed training loss (the mean over the last
 * steps, where the best single minibatch loss only measures luck), the latest evaluation's
 * figures (comparableFigures: never an NLL at some time T), and the running interval so a
 * running row can show its elapsed time.
 */
import { comparableFigures } from '../api/metricInfo.js';
import type { Store } from '../store/index.js';
import { splitEvaluation, type Evaluation } from './evaluate.js';

/** Steps averaged for the table's loss: long enough to smooth minibatch noise, short enough to follow training. */
export const RECENT_LOSS_STEPS = 100;

export interface RunFigures {
  runId: string;
  /** Mean loss over the last RECENT_LOSS_STEPS recorded steps; null before any step. */
  recentLoss: number | null;
  /** When the current running interval began (ISO 8601); null unless running. */
  runningSince: string | null;
  /** The run's comparable figures (null where undefined), or null if never evaluated. */
  evaluation: Record<string, number | null> | null;
}

export function recentLoss(store: Store, runId: string, steps = RECENT_LOSS_STEPS): number | null {
  const last = store.metricSummary(runId, 'loss').lastStep;
  if (!Number.isFinite(last)) return null;
  const s = store.metricsSeries(runId, 'loss', last - steps);
  let sum = 0, count = 0;
  for (const v of s.values) {
    if (!Number.isFinite(v)) continue;
    sum += v;
    count++;
  }
  return count ? sum / count : null;
}

export function runFigures(store: Store): RunFigures[] {
  return store.listRuns().map((run) => {
    const figures = comparableFigures(store.listEvaluations(run.id).map((e) => splitEvaluation(e.results as Evaluation)));
    return {
      runId: run.id,
      recentLoss: recentLoss(store, run.id),
      runningSince: run.status === 'running' ? run.runningSince : null,
      evaluation: figures?.results ?? null,
    };
  });
}
