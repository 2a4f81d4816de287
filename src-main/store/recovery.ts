import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { accrueRunningTime } from './runLifecycle.js';
import { prepared } from './statements.js';

/**
 * Crash recovery: a run left 'running' or 'paused' by an engine process that no longer exists
 * (killed, crashed, machine restarted) is marked 'interrupted', so it can be resumed from its
 * last checkpoint. Its running time counts up to its last recorded update.
 */

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

/**
 * Marks interrupted every active run on `host` whose owning process is gone (or was never
 * recorded). Runs owned by another host are left alone: their process cannot be probed from
 * here. Returns the ids marked.
 */
export function recoverInterruptedRuns(
  db: Database.Database,
  host: string = hostname(),
  isAlive: (pid: number) => boolean = isProcessAlive,
): string[] {
  const mark = prepared(
    db,
    `UPDATE runs SET status = 'interrupted', failure_reason = ?, finished_at = updated_at,
       pid = NULL WHERE id = ?`,
  );
  const orphans = db.transaction(() => {
    const active = prepared(
      db,
      `SELECT id, pid, host, updated_at FROM runs WHERE status IN ('running', 'paused')`,
    ).all() as { id: string; pid: number | null; host: string | null; updated_at: string }[];
    const found = active.filter(
      (run) => (run.host === null || run.host === host) && (run.pid === null || !isAlive(run.pid)),
    );
    for (const run of found) {
      accrueRunningTime(db, run.id, run.updated_at);
      const owner = run.pid === null ? 'its engine process' : `its engine process (pid ${run.pid})`;
      mark.run(`${owner} ended without finishing the run`, run.id);
    }
    return found;
  }).immediate();
  return orphans.map((run) => run.id);
}
