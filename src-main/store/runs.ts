import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { nowIso, prepared } from './statements.js';

export type RunStatus =
  | 'queued'
  | 'running'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'interrupted'
  | 'stopped';

export const RUN_STATUSES: readonly RunStatus[] = [
  'queued', 'running', 'paused', 'completed', 'failed', 'interrupted', 'stopped',
];

/** Statuses in which an engine process owns the run (its pid and host are recorded). */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['running', 'paused'];

/** Statuses a run ends in; an interrupted or stopped run may later be resumed. */
export type FinalStatus = 'completed' | 'failed' | 'stopped' | 'interrupted';

export interface RunRecord {
  /** 'r-YYYYMMDD-NNNN': creation date (UTC) and that day's sequence number. */
  id: string;
  name: string;
  status: RunStatus;
  /** The experiment config as validated by the API schema. */
  config: unknown;
  seed: number;
  /** Execution provider the run trains on ('cpu', 'cuda', 'webgpu'), once known. */
  backend: string | null;
  appVersion: string;
  onnxruntimeVersion: string | null;
  dataset: string;
  interpolant: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Seconds spent running (paused and queued time excluded), summed over resumptions. */
  durationS: number;
  /** When the current running interval began; null unless running (durationS excludes it). */
  runningSince: string | null;
  stepsDone: number;
  lastLoss: number | null;
  bestLoss: number | null;
  failureReason: string | null;
  tags: string[];
  notes: string;
  pid: number | null;
  host: string | null;
}

export interface RunInit {
  name: string;
  config: unknown;
  seed: number;
  dataset: string;
  interpolant: string;
  backend?: string | null;
  onnxruntimeVersion?: string | null;
  appVersion?: string;
  tags?: readonly string[];
  notes?: string;
  /**
   * The process that owns the queued run until it marks it running or finishes it (default: this
   * one); if that process dies first, recovery marks the run interrupted instead of leaving it
   * queued forever.
   */
  pid?: number;
  host?: string;
}

/** Fields a caller may change directly; status changes go through markRunning/finishRun/... */
export interface RunPatch {
  name?: string;
  config?: unknown;
  backend?: string | null;
  onnxruntimeVersion?: string | null;
  stepsDone?: number;
  lastLoss?: number | null;
  bestLoss?: number | null;
  /** Set directly only for a run recorded elsewhere (an imported model); trainings accrue it. */
  durationS?: number;
  tags?: readonly string[];
  notes?: string;
}

export interface RunFilter {
  status?: RunStatus | readonly RunStatus[];
  /** Runs carrying this tag. */
  tag?: string;
  /** Case-insensitive substring of the id, name or notes. */
  text?: string;
  dataset?: string;
  interpolant?: string;
  limit?: number;
  offset?: number;
}

interface RunRow {
  id: string; name: string; status: RunStatus; config: string; seed: number;
  backend: string | null; app_version: string; onnxruntime_version: string | null;
  dataset: string; interpolant: string; created_at: string; updated_at: string;
  started_at: string | null; running_since: string | null; finished_at: string | null;
  duration_s: number; steps_done: number; last_loss: number | null; best_loss: number | null;
  failure_reason: string | null; tags: string; notes: string; pid: number | null;
  host: string | null;
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id, name: row.name, status: row.status, config: JSON.parse(row.config),
    seed: row.seed, backend: row.backend, appVersion: row.app_version,
    onnxruntimeVersion: row.onnxruntime_version, dataset: row.dataset,
    interpolant: row.interpolant, createdAt: row.created_at, updatedAt: row.updated_at,
    startedAt: row.started_at, finishedAt: row.finished_at, durationS: row.duration_s,
    runningSince: row.running_since,
    stepsDone: row.steps_done, lastLoss: row.last_loss, bestLoss: row.best_loss,
    failureReason: row.failure_reason, tags: JSON.parse(row.tags), notes: row.notes,
    pid: row.pid, host: row.host,
  };
}

/** Trimmed, non-empty, first occurrence kept. */
function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))];
}

/** Next id of the day: 'r-' + UTC date + '-' + sequence, zero-padded to at least 4 digits. */
function nextRunId(db: Database.Database, createdAt: string): string {
  const prefix = `r-${createdAt.slice(0, 10).replaceAll('-', '')}-`;
  const row = prepared(
    db,
    `SELECT MAX(CAST(substr(id, length(?) + 1) AS INTEGER)) AS last FROM runs WHERE id LIKE ? || '%'`,
  ).get(prefix, prefix) as { last: number | null };
  return prefix + String((row.last ?? 0) + 1).padStart(4, '0');
}

export function createRun(db: Database.Database, init: RunInit): RunRecord {
  const insert = db.transaction((): string => {
    const now = nowIso();
    const id = nextRunId(db, now);
    prepared(
      db,
      `INSERT INTO runs (id, name, status, config, seed, backend, app_version, onnxruntime_version,
         dataset, interpolant, created_at, updated_at, tags, notes, pid, host)
       VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id, init.name, JSON.stringify(init.config ?? null), init.seed, init.backend ?? null,
      init.appVersion ?? VERSION, init.onnxruntimeVersion ?? null, init.dataset,
      init.interpolant, now, now, JSON.stringify(normalizeTags(init.tags ?? [])),
      init.notes ?? '', init.pid ?? process.pid, init.host ?? hostname(),
    );
    return id;
  });
  return getRun(db, insert.immediate());
}

export function findRun(db: Database.Database, id: string): RunRecord | null {
  const row = prepared(db, 'SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? toRecord(row) : null;
}

function noRunError(id: string): UserError {
  return new UserError(`no run with id ${id}; list runs with \`flowlab runs\``);
}

/** Throws the user-facing "no run" error unless the run exists. */
export function requireRun(db: Database.Database, id: string): void {
  if (!prepared(db, 'SELECT 1 FROM runs WHERE id = ?').get(id)) throw noRunError(id);
}

export function getRun(db: Database.Database, id: string): RunRecord {
  const run = findRun(db, id);
  if (!run) throw noRunError(id);
  return run;
}

/** Newest first. */
export function listRuns(db: Database.Database, filter: RunFilter = {}): RunRecord[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.status !== undefined) {
    const statuses = typeof filter.status === 'string' ? [filter.status] : [...filter.status];
    if (statuses.length === 0) return [];
    where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
    args.push(...statuses);
  }
  if (filter.tag !== undefined) {
    where.push('EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)');
    args.push(filter.tag.trim());
  }
  if (filter.text !== undefined && filter.text !== '') {
    where.push(`(instr(lower(id), lower(?)) > 0 OR instr(lower(name), lower(?)) > 0
      OR instr(lower(notes), lower(?)) > 0)`);
    args.push(filter.text, filter.text, filter.text);
  }
  if (filter.dataset !== undefined) { where.push('dataset = ?'); args.push(filter.dataset); }
  if (filter.interpolant !== undefined) { where.push('interpolant = ?'); args.push(filter.interpolant); }
  const sql =
    'SELECT * FROM runs' + (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ' ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?';
  args.push(filter.limit ?? -1, filter.offset ?? 0);
  return (prepared(db, sql).all(...args) as RunRow[]).map(toRecord);
}

const PATCH_COLUMNS: Record<keyof RunPatch, string> = {
  name: 'name', config: 'config', backend: 'backend', onnxruntimeVersion: 'onnxruntime_version',
  stepsDone: 'steps_done', lastLoss: 'last_loss', bestLoss: 'best_loss', tags: 'tags',
  notes: 'notes', durationS: 'duration_s',
};

export function updateRun(db: Database.Database, id: string, patch: RunPatch): RunRecord {
  const sets: string[] = ['updated_at = ?'];
  const args: unknown[] = [nowIso()];
  for (const key of Object.keys(PATCH_COLUMNS) as (keyof RunPatch)[]) {
    if (!(key in patch) || patch[key] === undefined) continue;
    sets.push(`${PATCH_COLUMNS[key]} = ?`);
    const value = patch[key];
    if (key === 'tags') args.push(JSON.stringify(normalizeTags(value as string[])));
    else if (key === 'config') args.push(JSON.stringify(value ?? null));
    else args.push(value);
  }
  updateRunRow(db, id, `UPDATE runs SET ${sets.join(', ')} WHERE id = ?`, ...args, id);
  return getRun(db, id);
}

export function setTags(db: Database.Database, id: string, tags: readonly string[]): RunRecord {
  return updateRun(db, id, { tags });
}

export function setNotes(db: Database.Database, id: string, notes: string): RunRecord {
  return updateRun(db, id, { notes });
}

/** Deletes the run and, by cascade, its metrics, checkpoints, samples, evaluations, artifacts. */
export function deleteRun(db: Database.Database, id: string): void {
  const run = getRun(db, id);
  if (ACTIVE_STATUSES.includes(run.status)) {
    throw new UserError(`run ${id} is ${run.status}; stop it before deleting it`);
  }
  prepared(db, 'DELETE FROM runs WHERE id = ?').run(id);
}

/** Runs an UPDATE of run `id`, throwing the "no run" error if it matched nothing. */
export function updateRunRow(db: Database.Database, id: string, sql: string, ...args: unknown[]): void {
  if (prepared(db, sql).run(...args).changes === 0) requireRun(db, id);
}
