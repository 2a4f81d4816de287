import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { getRun, requireRun, updateRunRow, type FinalStatus, type RunRecord } from './runs.js';
import { nowIso, prepared, secondsBetween } from './statements.js';

/**
 * A run's lifecycle: queued -> running <-> paused -> completed | failed | stopped | interrupted,
 * and back to queued or running to resume (claimRun in recovery.ts checks and marks in one step).
 * Running time (duration_s) accrues only while running.
 */

/**
 * Progress from the trainer: steps done, the latest loss, and the lowest loss of the batch just
 * reported (defaults to the latest); best_loss keeps the minimum ever reported.
 */
export function recordProgress(
  db: Database.Database, id: string, stepsDone: number, lastLoss: number, batchMinLoss = lastLoss,
): void {
  updateRunRow(
    db, id,
    `UPDATE runs SET steps_done = ?, last_loss = ?, updated_at = ?,
       best_loss = CASE WHEN best_loss IS NULL OR ? < best_loss THEN ? ELSE best_loss END
     WHERE id = ?`,
    stepsDone, lastLoss, nowIso(), batchMinLoss, batchMinLoss, id,
  );
}

/**
 * Back in the queue (e.g. to resume an interrupted run), owned by process `pid` on `host` until
 * it starts: if that process dies first, recovery marks the run interrupted again.
 */
export function markQueued(
  db: Database.Database, id: string, pid: number = process.pid, host: string = hostname(),
): RunRecord {
  updateRunRow(
    db, id,
    `UPDATE runs SET status = 'queued', updated_at = ?, finished_at = NULL, failure_reason = NULL,
       pid = ?, host = ?, running_since = NULL WHERE id = ?`,
    nowIso(), pid, host, id,
  );
  return getRun(db, id);
}

/** Owned and running in process `pid` on `host`; started_at keeps the first start. */
export function markRunning(
  db: Database.Database, id: string, pid: number, host: string = hostname(),
): RunRecord {
  const now = nowIso();
  updateRunRow(
    db, id,
    `UPDATE runs SET status = 'running', pid = ?, host = ?, updated_at = ?,
       started_at = COALESCE(started_at, ?), running_since = COALESCE(running_since, ?),
       finished_at = NULL, failure_reason = NULL
     WHERE id = ?`,
    pid, host, now, now, now, id,
  );
  return getRun(db, id);
}

/** Paused in its engine process (which still owns it); the paused time is not counted. */
export function markPaused(db: Database.Database, id: string): RunRecord {
  const now = nowIso();
  db.transaction(() => {
    accrueRunningTime(db, id, now);
    updateRunRow(db, id, `UPDATE runs SET status = 'paused', updated_at = ? WHERE id = ?`, now, id);
  }).immediate(); // reads then writes: see appendMetrics
  return getRun(db, id);
}

/** Ends the run: records the finish time and the running time, and releases its process. */
export function finishRun(
  db: Database.Database, id: string, status: FinalStatus, reason: string | null = null,
): RunRecord {
  const now = nowIso();
  db.transaction(() => {
    accrueRunningTime(db, id, now);
    updateRunRow(
      db, id,
      `UPDATE runs SET status = ?, failure_reason = ?, finished_at = ?, updated_at = ?,
         pid = NULL WHERE id = ?`,
      status, reason, now, now, id,
    );
  }).immediate();
  return getRun(db, id);
}

/** duration_s += until - running_since, and closes the running interval. */
export function accrueRunningTime(db: Database.Database, id: string, until: string): void {
  const row = prepared(db, 'SELECT running_since FROM runs WHERE id = ?').get(id) as
    | { running_since: string | null }
    | undefined;
  if (!row) requireRun(db, id);
  if (!row?.running_since) return;
  const seconds = Math.max(0, secondsBetween(row.running_since, until));
  prepared(
    db,
    'UPDATE runs SET duration_s = duration_s + ?, running_since = NULL WHERE id = ?',
  ).run(seconds, id);
}
