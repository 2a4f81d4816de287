import type Database from 'better-sqlite3';
import { requireRun } from './runs.js';
import { nowIso, prepared } from './statements.js';

/** A file made from a run (an exported ONNX model, a CSV of samples, a figure). */
export interface ArtifactRecord {
  id: number;
  runId: string;
  /** What the file is, e.g. 'onnx', 'csv', 'npy', 'png'. */
  kind: string;
  path: string;
  createdAt: string;
}

interface ArtifactRow {
  id: number; run_id: string; kind: string; path: string; created_at: string;
}

function toRecord(row: ArtifactRow): ArtifactRecord {
  return { id: row.id, runId: row.run_id, kind: row.kind, path: row.path, createdAt: row.created_at };
}

/** Records the file; the store never touches the file itself (deleting the run keeps it). */
export function addArtifact(
  db: Database.Database, runId: string, kind: string, path: string,
): ArtifactRecord {
  requireRun(db, runId);
  const result = prepared(
    db, 'INSERT INTO artifacts (run_id, kind, path, created_at) VALUES (?, ?, ?, ?)',
  ).run(runId, kind, path, nowIso());
  return toRecord(
    prepared(db, 'SELECT * FROM artifacts WHERE id = ?').get(
      Number(result.lastInsertRowid),
    ) as ArtifactRow,
  );
}

/** Oldest first. */
export function listArtifacts(db: Database.Database, runId: string): ArtifactRecord[] {
  requireRun(db, runId);
  return (
    prepared(db, 'SELECT * FROM artifacts WHERE run_id = ? ORDER BY id').all(runId) as ArtifactRow[]
  ).map(toRecord);
}
