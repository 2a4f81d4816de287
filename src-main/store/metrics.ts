import type Database from 'better-sqlite3';
import { requireRun } from './runs.js';
import { prepared } from './statements.js';

/**
 * Metrics: one row per (run, name, step). Writing a step again replaces its value, so a run
 * resumed from a checkpoint older than its last metrics rewrites those steps instead of
 * doubling them. Non-finite values are kept as NaN (stored as NULL, which SQLite makes of NaN).
 */
export interface MetricRow {
  step: number;
  name: string;
  value: number;
}

export interface MetricSeries {
  steps: Float64Array;
  values: Float64Array;
}

const INSERT_METRIC = 'INSERT OR REPLACE INTO metrics (run_id, name, step, value) VALUES (?, ?, ?, ?)';

/**
 * Appends rows in one transaction (all or none become visible). Every transaction that writes
 * is IMMEDIATE: it takes the write lock up front, waiting out another process's writes through
 * the busy timeout. A deferred one that reads first and then writes cannot wait (SQLite answers
 * SQLITE_BUSY at once rather than risk a deadlock), which is "database is locked" under two
 * writers.
 */
export function appendMetrics(db: Database.Database, runId: string, rows: readonly MetricRow[]): void {
  if (rows.length === 0) return;
  requireRun(db, runId);
  const insert = prepared(db, INSERT_METRIC);
  db.transaction(() => {
    for (const row of rows) insert.run(runId, row.name, row.step, row.value);
  }).immediate();
}

/**
 * Appends one metric's consecutive steps firstStep, firstStep+1, ... in one transaction: the
 * shape of a fused training chunk's K per-step losses.
 */
export function appendMetricRun(
  db: Database.Database, runId: string, name: string, firstStep: number,
  values: ArrayLike<number>,
): void {
  if (values.length === 0) return;
  requireRun(db, runId);
  const insert = prepared(db, INSERT_METRIC);
  db.transaction(() => {
    for (let i = 0; i < values.length; i++) insert.run(runId, name, firstStep + i, values[i]);
  }).immediate();
}

/** One metric's series in step order; `afterStep` returns only steps > afterStep (live updates). */
export function metricsSeries(
  db: Database.Database, runId: string, name: string, afterStep = -Infinity,
): MetricSeries {
  requireRun(db, runId);
  // Two single-column reads (far cheaper per row than row objects or arrays), in one read
  // transaction so both see the same snapshot.
  const column = (col: 'step' | 'value') =>
    prepared(
      db,
      `SELECT ${col} FROM metrics WHERE run_id = ? AND name = ? AND step > ? ORDER BY step`,
    ).pluck(true).all(runId, name, afterStep) as (number | null)[];
  const [stepColumn, valueColumn] = db.transaction(() => [column('step'), column('value')])();
  const steps = Float64Array.from(stepColumn as number[]);
  const values = new Float64Array(valueColumn.length);
  for (let i = 0; i < valueColumn.length; i++) values[i] = valueColumn[i] ?? Number.NaN;
  return { steps, values };
}

/** The metric names recorded for a run, sorted. */
export function metricNames(db: Database.Database, runId: string): string[] {
  requireRun(db, runId);
  // Walks the (run_id, name, step) key one name at a time instead of scanning every row.
  const rows = prepared(
    db,
    `WITH RECURSIVE names(name) AS (
       SELECT MIN(name) FROM metrics WHERE run_id = @runId
       UNION ALL
       SELECT (SELECT MIN(name) FROM metrics WHERE run_id = @runId AND name > names.name)
       FROM names WHERE names.name IS NOT NULL
     )
     SELECT name FROM names WHERE name IS NOT NULL`,
  ).all({ runId }) as { name: string }[];
  return rows.map((r) => r.name);
}

/** Count, minimum and last value of one metric (NaN where there are none). */
export function metricSummary(
  db: Database.Database, runId: string, name: string,
): { count: number; min: number; last: number; lastStep: number } {
  requireRun(db, runId);
  const agg = prepared(
    db,
    'SELECT COUNT(*) AS count, MIN(value) AS min FROM metrics WHERE run_id = ? AND name = ?',
  ).get(runId, name) as { count: number; min: number | null };
  const last = prepared(
    db,
    'SELECT step, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step DESC LIMIT 1',
  ).get(runId, name) as { step: number; value: number | null } | undefined;
  return {
    count: agg.count,
    min: agg.min ?? Number.NaN,
    last: last?.value ?? Number.NaN,
    lastStep: last?.step ?? Number.NaN,
  };
}
