import type Database from 'better-sqlite3';
import { addArtifact, listArtifacts, type ArtifactRecord } from './artifacts.js';
import {
  bestCheckpoint, getCheckpoint, latestCheckpoint, listCheckpoints, saveCheckpoint,
  type CheckpointInfo, type CheckpointInit, type CheckpointRecord, type SaveCheckpointOptions,
} from './checkpoints.js';
import { listEvaluations, saveEvaluation, type EvaluationRecord } from './evaluations.js';
import {
  appendMetricRun, appendMetrics, metricNames, metricsSeries, metricSummary,
  type MetricRow, type MetricSeries,
} from './metrics.js';
import { openDatabase } from './open.js';
import { recoverInterruptedRuns } from './recovery.js';
import { finishRun, markPaused, markQueued, markRunning, recordProgress } from './runLifecycle.js';
import {
  createRun, deleteRun, findRun, getRun, listRuns, requireRun, setNotes, setTags, updateRun,
  type FinalStatus, type RunFilter, type RunInit, type RunPatch, type RunRecord,
} from './runs.js';
import {
  getSamples, latestSamples, listSamples, saveSamples,
  type SampleKind, type SamplesInfo, type SamplesInit, type SamplesRecord,
} from './samples.js';

/**
 * The run store: one SQLite connection and the typed operations on it. Open it with
 * `openStore(dataDir)`; every method is synchronous (better-sqlite3) and throws UserError for
 * unknown run ids.
 *
 *   const store = openStore(dataDir);
 *   const run = store.createRun({ name, config, seed, dataset: 'moons', interpolant: 'linear' });
 *   store.markRunning(run.id, process.pid);
 *   store.appendMetrics(run.id, [{ step: 0, name: 'loss', value: 1.3 }]);
 *   store.finishRun(run.id, 'completed');
 *   store.close();
 */
export class Store {
  /** Ids of the runs that `openStore` found orphaned and marked 'interrupted'. */
  readonly recovered: readonly string[];

  constructor(readonly db: Database.Database) {
    this.recovered = recoverInterruptedRuns(db);
  }

  /** Path of the SQLite file. */
  get file(): string {
    return this.db.name;
  }

  /**
   * Runs `fn` in one transaction (nestable): all of its writes land, or none. IMMEDIATE, so that
   * a body that reads before it writes waits for another process's write lock instead of failing
   * with "database is locked".
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // Runs
  createRun(init: RunInit): RunRecord { return createRun(this.db, init); }
  getRun(id: string): RunRecord { return getRun(this.db, id); }
  findRun(id: string): RunRecord | null { return findRun(this.db, id); }
  requireRun(id: string): void { requireRun(this.db, id); }
  listRuns(filter?: RunFilter): RunRecord[] { return listRuns(this.db, filter); }
  updateRun(id: string, patch: RunPatch): RunRecord { return updateRun(this.db, id, patch); }
  setTags(id: string, tags: readonly string[]): RunRecord { return setTags(this.db, id, tags); }
  setNotes(id: string, notes: string): RunRecord { return setNotes(this.db, id, notes); }
  recordProgress(id: string, stepsDone: number, lastLoss: number, batchMinLoss?: number): void {
    recordProgress(this.db, id, stepsDone, lastLoss, batchMinLoss);
  }
  markQueued(id: string): RunRecord { return markQueued(this.db, id); }
  markRunning(id: string, pid: number, host?: string): RunRecord {
    return markRunning(this.db, id, pid, host);
  }
  markPaused(id: string): RunRecord { return markPaused(this.db, id); }
  finishRun(id: string, status: FinalStatus, reason?: string | null): RunRecord {
    return finishRun(this.db, id, status, reason);
  }
  deleteRun(id: string): void { deleteRun(this.db, id); }

  // Metrics
  appendMetrics(runId: string, rows: readonly MetricRow[]): void {
    appendMetrics(this.db, runId, rows);
  }
  appendMetricRun(runId: string, name: string, firstStep: number, values: ArrayLike<number>): void {
    appendMetricRun(this.db, runId, name, firstStep, values);
  }
  metricsSeries(runId: string, name: string, afterStep?: number): MetricSeries {
    return metricsSeries(this.db, runId, name, afterStep);
  }
  metricNames(runId: string): string[] { return metricNames(this.db, runId); }
  metricSummary(runId: string, name: string): ReturnType<typeof metricSummary> {
    return metricSummary(this.db, runId, name);
  }

  // Checkpoints
  saveCheckpoint(runId: string, init: CheckpointInit, options?: SaveCheckpointOptions): CheckpointInfo {
    return saveCheckpoint(this.db, runId, init, options);
  }
  latestCheckpoint(runId: string): CheckpointRecord | null { return latestCheckpoint(this.db, runId); }
  bestCheckpoint(runId: string): CheckpointRecord | null { return bestCheckpoint(this.db, runId); }
  listCheckpoints(runId: string): CheckpointInfo[] { return listCheckpoints(this.db, runId); }
  getCheckpoint(id: number): CheckpointRecord { return getCheckpoint(this.db, id); }

  // Samples
  saveSamples(runId: string, init: SamplesInit): SamplesInfo { return saveSamples(this.db, runId, init); }
  listSamples(runId: string, kind?: SampleKind): SamplesInfo[] { return listSamples(this.db, runId, kind); }
  getSamples(id: number): SamplesRecord { return getSamples(this.db, id); }
  latestSamples(runId: string, kind: SampleKind): SamplesRecord | null {
    return latestSamples(this.db, runId, kind);
  }

  // Evaluations and artifacts
  saveEvaluation(
    runId: string, params: Record<string, unknown>, results: Record<string, unknown>,
  ): EvaluationRecord {
    return saveEvaluation(this.db, runId, params, results);
  }
  listEvaluations(runId: string): EvaluationRecord[] { return listEvaluations(this.db, runId); }
  addArtifact(runId: string, kind: string, path: string): ArtifactRecord {
    return addArtifact(this.db, runId, kind, path);
  }
  listArtifacts(runId: string): ArtifactRecord[] { return listArtifacts(this.db, runId); }
}

/**
 * Opens the store in `dataDir` (creating the folder and the database, migrating it) and marks
 * runs orphaned by a dead engine process as 'interrupted'.
 */
export function openStore(dataDir: string): Store {
  const db = openDatabase(dataDir);
  try {
    return new Store(db);
  } catch (err) {
    db.close();
    throw err;
  }
}
