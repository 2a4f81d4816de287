import type Database from 'better-sqlite3';
import { UserError } from '../errors.js';
import { blobToFloat32, float32ToBlob, optionalBlobToFloat32, optionalFloat32ToBlob } from './blobs.js';
import { requireRun } from './runs.js';
import { nowIso, prepared } from './statements.js';

/**
 * Checkpoints: everything needed to resume a run bit for bit. Parameters, their EMA and the
 * Adam moments are float32 blobs; the RNG state and any trainer extras (Adam step count,
 * schedule position) are JSON. Retention: saving a checkpoint deletes the run's older ones
 * except the best-loss one and any saved with `keep`.
 */
export interface AdamMoments {
  /** First moment (running mean of gradients), one per parameter. */
  m: Float32Array;
  /** Second moment (running mean of squared gradients), one per parameter. */
  v: Float32Array;
}

export interface CheckpointInit {
  step: number;
  /** The loss this checkpoint is ranked by for "best" (lower is better); null to never rank. */
  loss?: number | null;
  params: Float32Array;
  ema?: Float32Array | null;
  optimizer?: AdamMoments | null;
  rngState: unknown;
  extra?: Record<string, unknown>;
}

export interface CheckpointInfo {
  id: number;
  runId: string;
  step: number;
  loss: number | null;
  createdAt: string;
  /** Saved with `keep`: retention never deletes it. */
  pinned: boolean;
  paramCount: number;
}

export interface CheckpointRecord extends CheckpointInfo {
  params: Float32Array;
  ema: Float32Array | null;
  optimizer: AdamMoments | null;
  rngState: unknown;
  extra: Record<string, unknown>;
}

export interface SaveCheckpointOptions {
  /** Keep this checkpoint forever (and leave the run's older ones in place this time). */
  keep?: boolean;
}

interface InfoRow {
  id: number; run_id: string; step: number; loss: number | null; created_at: string;
  pinned: number; param_count: number;
}

interface FullRow extends InfoRow {
  params: Buffer; ema: Buffer | null; adam_m: Buffer | null; adam_v: Buffer | null;
  rng_state: string; extra: string;
}

const INFO_COLUMNS = 'id, run_id, step, loss, created_at, pinned, length(params) / 4 AS param_count';
const FULL_COLUMNS = `${INFO_COLUMNS}, params, ema, adam_m, adam_v, rng_state, extra`;
/** Best = lowest loss; the earliest checkpoint wins a tie. */
const BEST_ORDER = 'loss IS NULL, loss ASC, id ASC';

function toInfo(row: InfoRow): CheckpointInfo {
  return {
    id: row.id, runId: row.run_id, step: row.step, loss: row.loss, createdAt: row.created_at,
    pinned: row.pinned !== 0, paramCount: row.param_count,
  };
}

function toRecord(row: FullRow): CheckpointRecord {
  const m = optionalBlobToFloat32(row.adam_m);
  const v = optionalBlobToFloat32(row.adam_v);
  return {
    ...toInfo(row),
    params: blobToFloat32(row.params),
    ema: optionalBlobToFloat32(row.ema),
    optimizer: m && v ? { m, v } : null,
    rngState: JSON.parse(row.rng_state),
    extra: JSON.parse(row.extra),
  };
}

function checkLength(what: string, values: Float32Array | null | undefined, expected: number): void {
  if (values && values.length !== expected) {
    throw new Error(`checkpoint ${what} has ${values.length} values, params have ${expected}`);
  }
}

export function saveCheckpoint(
  db: Database.Database, runId: string, init: CheckpointInit, options: SaveCheckpointOptions = {},
): CheckpointInfo {
  requireRun(db, runId);
  const n = init.params.length;
  checkLength('ema', init.ema, n);
  checkLength('Adam m', init.optimizer?.m, n);
  checkLength('Adam v', init.optimizer?.v, n);
  const id = db.transaction((): number => {
    const result = prepared(
      db,
      `INSERT INTO checkpoints (run_id, step, loss, created_at, pinned, params, ema, adam_m, adam_v,
         rng_state, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId, init.step, init.loss ?? null, nowIso(), options.keep ? 1 : 0,
      float32ToBlob(init.params), optionalFloat32ToBlob(init.ema),
      optionalFloat32ToBlob(init.optimizer?.m), optionalFloat32ToBlob(init.optimizer?.v),
      JSON.stringify(init.rngState ?? null), JSON.stringify(init.extra ?? {}),
    );
    const newId = Number(result.lastInsertRowid);
    if (!options.keep) pruneCheckpoints(db, runId, newId);
    return newId;
  }).immediate();
  return toInfo(
    prepared(db, `SELECT ${INFO_COLUMNS} FROM checkpoints WHERE id = ?`).get(id) as InfoRow,
  );
}

/** Deletes the run's unpinned checkpoints other than `latestId` and the best-loss one. */
function pruneCheckpoints(db: Database.Database, runId: string, latestId: number): void {
  prepared(
    db,
    `DELETE FROM checkpoints WHERE run_id = @runId AND pinned = 0 AND id <> @latestId
       AND id <> COALESCE((SELECT id FROM checkpoints WHERE run_id = @runId AND loss IS NOT NULL
                           ORDER BY ${BEST_ORDER} LIMIT 1), -1)`,
  ).run({ runId, latestId });
}

/** The most recently saved checkpoint, or null if the run has none. */
export function latestCheckpoint(db: Database.Database, runId: string): CheckpointRecord | null {
  requireRun(db, runId);
  const row = prepared(
    db, `SELECT ${FULL_COLUMNS} FROM checkpoints WHERE run_id = ? ORDER BY id DESC LIMIT 1`,
  ).get(runId) as FullRow | undefined;
  return row ? toRecord(row) : null;
}

/** The checkpoint with the lowest loss, or null if none has a loss. */
export function bestCheckpoint(db: Database.Database, runId: string): CheckpointRecord | null {
  requireRun(db, runId);
  const row = prepared(
    db,
    `SELECT ${FULL_COLUMNS} FROM checkpoints WHERE run_id = ? AND loss IS NOT NULL
     ORDER BY ${BEST_ORDER} LIMIT 1`,
  ).get(runId) as FullRow | undefined;
  return row ? toRecord(row) : null;
}

/** The run's checkpoints without their arrays, oldest first. */
export function listCheckpoints(db: Database.Database, runId: string): CheckpointInfo[] {
  requireRun(db, runId);
  const rows = prepared(
    db, `SELECT ${INFO_COLUMNS} FROM checkpoints WHERE run_id = ? ORDER BY id`,
  ).all(runId) as InfoRow[];
  return rows.map(toInfo);
}

export function getCheckpoint(db: Database.Database, id: number): CheckpointRecord {
  const row = prepared(db, `SELECT ${FULL_COLUMNS} FROM checkpoints WHERE id = ?`).get(id) as
    | FullRow
    | undefined;
  if (!row) throw new UserError(`no checkpoint with id ${id}; list a run's checkpoints first`);
  return toRecord(row);
}
