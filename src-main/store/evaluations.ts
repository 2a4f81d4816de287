import type Database from 'better-sqlite3';
import { requireRun } from './runs.js';
import { nowIso, prepared } from './statements.js';

/** An evaluation of a run: what was asked (sample count, solver, metrics) and what came out. */
export interface EvaluationRecord {
  id: number;
  runId: string;
  createdAt: string;
  params: Record<string, unknown>;
  results: Record<string, unknown>;
}

interface EvaluationRow {
  id: number; run_id: string; created_at: string; params: string; results: string;
}

function toRecord(row: EvaluationRow): EvaluationRecord {
  return {
    id: row.id, runId: row.run_id, createdAt: row.created_at,
    params: JSON.parse(row.params), results: JSON.parse(row.results),
  };
}

export function saveEvaluation(
  db: Database.Database, runId: string, params: Record<string, unknown>,
  results: Record<string, unknown>, createdAt?: string,
): EvaluationRecord {
  requireRun(db, runId);
  const result = prepared(
    db, 'INSERT INTO evaluations (run_id, created_at, params, results) VALUES (?, ?, ?, ?)',
  ).run(runId, createdAt ?? nowIso(), JSON.stringify(params), JSON.stringify(results));
  return toRecord(
    prepared(db, 'SELECT * FROM evaluations WHERE id = ?').get(
      Number(result.lastInsertRowid),
    ) as EvaluationRow,
  );
}

/** Oldest first. */
export function listEvaluations(db: Database.Database, runId: string): EvaluationRecord[] {
  requireRun(db, runId);
  return (
    prepared(db, 'SELECT * FROM evaluations WHERE run_id = ? ORDER BY id').all(runId) as EvaluationRow[]
  ).map(toRecord);
}
