import type Database from 'better-sqlite3';
import { UserError } from '../errors.js';
import { blobToFloat32, float32ToBlob } from './blobs.js';
import { requireRun } from './runs.js';
import { nowIso, prepared } from './statements.js';

/**
 * Generated samples: `frames` x `n` x `d` float32 values, row-major (a trajectory is one frame
 * per snapshot time; final samples and previews have one frame). Times, solver settings and
 * image shapes go in `meta`.
 */
export type SampleKind = 'final' | 'preview' | 'trajectory' | (string & {});

export interface SamplesInit {
  kind: SampleKind;
  n: number;
  d: number;
  /** Number of frames (snapshots); 1 unless this is a trajectory. */
  frames?: number;
  data: Float32Array;
  meta?: Record<string, unknown>;
}

export interface SamplesInfo {
  id: number;
  runId: string;
  createdAt: string;
  kind: SampleKind;
  frames: number;
  n: number;
  d: number;
  meta: Record<string, unknown>;
}

export interface SamplesRecord extends SamplesInfo {
  data: Float32Array;
}

interface InfoRow {
  id: number; run_id: string; created_at: string; kind: string; frames: number; n: number;
  d: number; meta: string;
}

const INFO_COLUMNS = 'id, run_id, created_at, kind, frames, n, d, meta';

function toInfo(row: InfoRow): SamplesInfo {
  return {
    id: row.id, runId: row.run_id, createdAt: row.created_at, kind: row.kind,
    frames: row.frames, n: row.n, d: row.d, meta: JSON.parse(row.meta),
  };
}

export function saveSamples(db: Database.Database, runId: string, init: SamplesInit): SamplesInfo {
  requireRun(db, runId);
  const frames = init.frames ?? 1;
  for (const [what, value] of [['frames', frames], ['n', init.n], ['d', init.d]] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`samples ${what} must be a non-negative integer, got ${value}`);
    }
  }
  if (init.data.length !== frames * init.n * init.d) {
    throw new Error(
      `samples data has ${init.data.length} values, expected frames*n*d = ` +
        `${frames}*${init.n}*${init.d}`,
    );
  }
  const result = prepared(
    db,
    `INSERT INTO samples (run_id, created_at, kind, frames, n, d, data, meta)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId, nowIso(), init.kind, frames, init.n, init.d, float32ToBlob(init.data),
    JSON.stringify(init.meta ?? {}),
  );
  return getSamplesInfo(db, Number(result.lastInsertRowid));
}

/** A run's sample sets without their data, oldest first; optionally of one kind. */
export function listSamples(db: Database.Database, runId: string, kind?: SampleKind): SamplesInfo[] {
  requireRun(db, runId);
  const rows = (
    kind === undefined
      ? prepared(db, `SELECT ${INFO_COLUMNS} FROM samples WHERE run_id = ? ORDER BY id`).all(runId)
      : prepared(
          db, `SELECT ${INFO_COLUMNS} FROM samples WHERE run_id = ? AND kind = ? ORDER BY id`,
        ).all(runId, kind)
  ) as InfoRow[];
  return rows.map(toInfo);
}

function getSamplesInfo(db: Database.Database, id: number): SamplesInfo {
  return toInfo(prepared(db, `SELECT ${INFO_COLUMNS} FROM samples WHERE id = ?`).get(id) as InfoRow);
}

export function getSamples(db: Database.Database, id: number): SamplesRecord {
  const row = prepared(db, `SELECT ${INFO_COLUMNS}, data FROM samples WHERE id = ?`).get(id) as
    | (InfoRow & { data: Buffer })
    | undefined;
  if (!row) throw new UserError(`no samples with id ${id}; list a run's samples first`);
  return { ...toInfo(row), data: blobToFloat32(row.data) };
}

/** The most recent sample set of a kind, or null. */
export function latestSamples(
  db: Database.Database, runId: string, kind: SampleKind,
): SamplesRecord | null {
  requireRun(db, runId);
  const row = prepared(
    db, 'SELECT id FROM samples WHERE run_id = ? AND kind = ? ORDER BY id DESC LIMIT 1',
  ).get(runId, kind) as { id: number } | undefined;
  return row ? getSamples(db, row.id) : null;
}
