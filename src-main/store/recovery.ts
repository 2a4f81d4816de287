import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { UserError } from '../errors.js';
import { accrueRunningTime, markRunning } from './runLifecycle.js';
import { getRun, type RunRecord, type RunStatus } from './runs.js';
import { prepared } from './statements.js';

/**
 * Crash recovery and ownership. A run that is queued, running or paused belongs to the process
 * recorded with it (pid on host). When that process no longer exists (killed, crashed, machine
 * restarted) the run is marked 'interrupted', so it can be resumed from its last checkpoint; its
 * running time counts up to its last recorded update.
 */

/** Statuses in which a process owns the run: created and about to start, running, or paused. */
export const OWNED_STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused'];

/** Whether a process with this id exists on this machine (EPERM: it exists, owned by another user). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface OwnerRow { id: string; status: RunStatus; pid: number | null; host: string | null; updated_at: string }

/**
 * Whether the run's owner is known to be gone: it ran on this host and its process is dead (or
 * was never recorded). A process on another host cannot be probed from here, so it counts as alive.
 */
function ownerGone(run: OwnerRow, host: string, isAlive: (pid: number) => boolean): boolean {
  return (run.host === null || run.host === host) && (run.pid === null || !isAlive(run.pid));
}

function interrupt(db: Database.Database, run: OwnerRow): void {
  accrueRunningTime(db, run.id, run.updated_at);
  const owner = run.pid === null ? 'its engine process' : `its engine process (pid ${run.pid})`;
  const what = run.status === 'queued' ? 'before starting the run' : 'without finishing the run';
  prepared(
    db,
    `UPDATE runs SET status = 'interrupted', failure_reason = ?, finished_at = updated_at,
       pid = NULL WHERE id = ?`,
  ).run(`${owner} ended ${what}`, run.id);
}

/**
 * Marks interrupted every queued, running or paused run on `host` whose owning process is gone.
 * Runs owned by another host are left alone. Cheap enough (one indexed query) to call every few
 * seconds from a long-lived process, which is how a live app notices an engine or CLI that died.
 * Returns the ids marked.
 */
export function recoverInterruptedRuns(
  db: Database.Database,
  host: string = hostname(),
  isAlive: (pid: number) => boolean = isProcessAlive,
): string[] {
  const owned = `SELECT id, status, pid, host, updated_at FROM runs
                 WHERE status IN (${OWNED_STATUSES.map((s) => `'${s}'`).join(', ')})`;
  // Probe outside the write lock first: most sweeps find nothing and then take no lock at all.
  const suspects = (prepared(db, owned).all() as OwnerRow[]).filter((r) => ownerGone(r, host, isAlive));
  if (suspects.length === 0) return [];
  return db.transaction(() => {
    // Re-read under the lock: a suspect may have been resumed or finished since.
    const found = (prepared(db, owned).all() as OwnerRow[]).filter((r) => ownerGone(r, host, isAlive));
    for (const run of found) interrupt(db, run);
    return found.map((run) => run.id);
  }).immediate();
}

/**
 * Claims a run for process `pid` on `host` to (re)start it, in one IMMEDIATE transaction: checks
 * that it may be resumed and marks it running, so that of two processes resuming one run, one
 * trains it and the other is refused. A run whose owner died (even one left 'queued') is taken
 * over; one whose owner lives, or that is completed, is refused with a UserError saying why.
 */
export function claimRun(
  db: Database.Database, id: string, pid: number, host: string = hostname(),
  isAlive: (pid: number) => boolean = isProcessAlive,
): RunRecord {
  return db.transaction((): RunRecord => {
    const run = getRun(db, id);
    if (run.status === 'completed') {
      throw new UserError(`run ${id} is already completed; start a new run instead of resuming it`);
    }
    if (OWNED_STATUSES.includes(run.status)) {
      const row: OwnerRow = { id, status: run.status, pid: run.pid, host: run.host, updated_at: run.updatedAt };
      if (!ownerGone(row, host, isAlive)) throw ownedError(run);
      interrupt(db, row);
    }
    return markRunning(db, id, pid, host);
  }).immediate();
}

function ownedError(run: RunRecord): UserError {
  const where = `process ${run.pid}${run.host ? ` on ${run.host}` : ''}`;
  const state = run.status === 'queued' ? `being started by ${where}` : `${run.status} in ${where}`;
  return new UserError(
    `run ${run.id} is ${state}; stop it there or wait for it to end, then resume it`,
  );
}
