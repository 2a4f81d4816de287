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
import { storeFailure } from './failures.js';
import { BUSY_TIMEOUT_MS, openStoreFile, type OpenOptions } from './open.js';
import { claimRun, recoverInterruptedRuns } from './recovery.js';
import { finishRun, markPaused, markQueued, markRunning, recordProgress } from './runLifecycle.js';
import {
  createRun, deleteRun, findRun, getRun, listRuns, requireRun, setNotes, setTags, updateRun,
  type FinalStatus, type RunFilter, type RunInit, type RunPatch, type RunRecord,
} from './runs.js';
import {
  getSamples, latestSamples, listSamples, saveSamples,
  type SampleKind, type SamplesInfo, type SamplesInit, type SamplesRecord,
} from './samples.js';
import { nowIso } from './statements.js';

/** How often a long-lived process re-checks for runs whose owner died (ms). */
export const ORPHAN_SWEEP_MS = 30_000;

/**
 * The run store: one SQLite connection and the typed operations on it. Open it with
 * `openStore(dataDir)`; every method is synchronous (better-sqlite3) and throws UserError for
 * unknown run ids and for the store's own failures (locked, disk full, read-only, damaged), each
 * as one sentence saying what to do.
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
  private sweep: NodeJS.Timeout | null = null;

  constructor(
    readonly db: Database.Database,
    /** Why the store is read-only (see openStoreFile), else null. */
    readonly readOnlyReason: string | null = null,
    private readonly busyTimeoutMs: number = BUSY_TIMEOUT_MS,
    /** Path of the SQLite file. */
    readonly file: string = db.name,
  ) {
    this.recovered = this.recoverOrphans();
  }

  get readOnly(): boolean {
    return this.readOnlyReason !== null;
  }

  /** Runs `fn`, turning SQLite's failures into one-line UserErrors. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw storeFailure(err, this.file, this.busyTimeoutMs, this.readOnlyReason);
    }
  }

  /**
   * Runs `fn` in one transaction (nestable): all of its writes land, or none. IMMEDIATE, so that
   * a body that reads before it writes waits for another process's write lock instead of failing
   * with "database is locked".
   */
  transaction<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).immediate());
  }

  close(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
    if (this.db.open) this.db.close();
  }

  // Ownership and recovery
  /**
   * Claims a run to resume it in process `pid`: checks and marks it running in one step, or
   * throws a UserError saying who holds it (see claimRun in recovery.ts).
   */
  claimRun(id: string, pid: number, host?: string): RunRecord {
    return this.guard(() => claimRun(this.db, id, pid, host));
  }
  /** Marks interrupted the runs whose owning process on this host has died; returns their ids. */
  recoverOrphans(): string[] {
    if (this.readOnly) return [];
    return this.guard(() => recoverInterruptedRuns(this.db));
  }
  /**
   * For a long-lived process (the app): every `intervalMs` until `close`, marks interrupted the
   * runs whose owner died meanwhile (an engine or CLI killed while this process lives on).
   * `onError` hears a failed sweep (e.g. a store locked for longer than the busy timeout).
   */
  watchOrphans(
    intervalMs = ORPHAN_SWEEP_MS, onRecovered?: (ids: string[]) => void, onError?: (err: unknown) => void,
  ): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = setInterval(() => {
      try {
        const ids = this.recoverOrphans();
        if (ids.length) onRecovered?.(ids);
      } catch (err) {
        onError?.(err);
      }
    }, intervalMs);
    this.sweep.unref(); // never the reason a process stays alive
  }

  // Runs
  createRun(init: RunInit): RunRecord { return this.guard(() => createRun(this.db, init)); }
  getRun(id: string): RunRecord { return this.guard(() => getRun(this.db, id)); }
  findRun(id: string): RunRecord | null { return this.guard(() => findRun(this.db, id)); }
  requireRun(id: string): void { this.guard(() => requireRun(this.db, id)); }
  listRuns(filter?: RunFilter): RunRecord[] { return this.guard(() => listRuns(this.db, filter)); }
  updateRun(id: string, patch: RunPatch): RunRecord { return this.guard(() => updateRun(this.db, id, patch)); }
  setTags(id: string, tags: readonly string[]): RunRecord { return this.guard(() => setTags(this.db, id, tags)); }
  setNotes(id: string, notes: string): RunRecord { return this.guard(() => setNotes(this.db, id, notes)); }
  recordProgress(id: string, stepsDone: number, lastLoss: number, batchMinLoss?: number): void {
    this.guard(() => recordProgress(this.db, id, stepsDone, lastLoss, batchMinLoss));
  }
  markQueued(id: string, pid?: number, host?: string): RunRecord {
    return this.guard(() => markQueued(this.db, id, pid, host));
  }
  markRunning(id: string, pid: number, host?: string): RunRecord {
    return this.guard(() => markRunning(this.db, id, pid, host));
  }
  markPaused(id: string): RunRecord { return this.guard(() => markPaused(this.db, id)); }
  finishRun(id: string, status: FinalStatus, reason?: string | null): RunRecord {
    return this.guard(() => finishRun(this.db, id, status, reason));
  }
  deleteRun(id: string): void { this.guard(() => deleteRun(this.db, id)); }

  // Metrics
  appendMetrics(runId: string, rows: readonly MetricRow[]): void {
    this.guard(() => appendMetrics(this.db, runId, rows));
  }
  appendMetricRun(runId: string, name: string, firstStep: number, values: ArrayLike<number>): void {
    this.guard(() => appendMetricRun(this.db, runId, name, firstStep, values));
  }
  metricsSeries(runId: string, name: string, afterStep?: number): MetricSeries {
    return this.guard(() => metricsSeries(this.db, runId, name, afterStep));
  }
  metricNames(runId: string): string[] { return this.guard(() => metricNames(this.db, runId)); }
  metricSummary(runId: string, name: string): ReturnType<typeof metricSummary> {
    return this.guard(() => metricSummary(this.db, runId, name));
  }

  // Checkpoints
  saveCheckpoint(runId: string, init: CheckpointInit, options?: SaveCheckpointOptions): CheckpointInfo {
    return this.guard(() => saveCheckpoint(this.db, runId, init, options));
  }
  latestCheckpoint(runId: string): CheckpointRecord | null {
    return this.guard(() => latestCheckpoint(this.db, runId));
  }
  bestCheckpoint(runId: string): CheckpointRecord | null {
    return this.guard(() => bestCheckpoint(this.db, runId));
  }
  listCheckpoints(runId: string): CheckpointInfo[] { return this.guard(() => listCheckpoints(this.db, runId)); }
  getCheckpoint(id: number): CheckpointRecord { return this.guard(() => getCheckpoint(this.db, id)); }

  // Samples
  saveSamples(runId: string, init: SamplesInit): SamplesInfo {
    return this.guard(() => saveSamples(this.db, runId, init));
  }
  listSamples(runId: string, kind?: SampleKind): SamplesInfo[] {
    return this.guard(() => listSamples(this.db, runId, kind));
  }
  getSamples(id: number): SamplesRecord { return this.guard(() => getSamples(this.db, id)); }
  latestSamples(runId: string, kind: SampleKind): SamplesRecord | null {
    return this.guard(() => latestSamples(this.db, runId, kind));
  }

  // Evaluations and artifacts
  saveEvaluation(
    runId: string, params: Record<string, unknown>, results: Record<string, unknown>,
    /** When it was measured, if not now (an imported model's recorded evaluation). */
    createdAt?: string,
  ): EvaluationRecord {
    return this.guard(() => saveEvaluation(this.db, runId, params, results, createdAt));
  }
  listEvaluations(runId: string): EvaluationRecord[] { return this.guard(() => listEvaluations(this.db, runId)); }
  /**
   * Records an exported file. A read-only store cannot keep the record, but the export itself
   * (the file the user asked for, already written) stands: the record is returned unsaved (id 0).
   */
  addArtifact(runId: string, kind: string, path: string): ArtifactRecord {
    if (this.readOnly) {
      this.requireRun(runId);
      return { id: 0, runId, kind, path, createdAt: nowIso() };
    }
    return this.guard(() => addArtifact(this.db, runId, kind, path));
  }
  listArtifacts(runId: string): ArtifactRecord[] { return this.guard(() => listArtifacts(this.db, runId)); }
}

/**
 * Opens the store in `dataDir` (creating the folder and the database, checking and migrating it)
 * and marks runs orphaned by a dead engine process as 'interrupted'. A store whose folder or file
 * cannot be written opens read-only (`store.readOnly`): listing and exporting work, and a write
 * fails with a sentence saying why.
 */
export function openStore(dataDir: string, options: OpenOptions = {}): Store {
  const { db, file, readOnlyReason, busyTimeoutMs } = openStoreFile(dataDir, options);
  try {
    return new Store(db, readOnlyReason, busyTimeoutMs, file);
  } catch (err) {
    db.close();
    throw err;
  }
}
