import type Database from 'better-sqlite3';

/**
 * Prepared statements, compiled once per connection and reused: the repositories pass SQL text
 * and get back the same `Statement` on every call.
 */
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function prepared(db: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** Timestamps are ISO-8601 UTC text: readable in any SQLite shell and sortable as strings. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Seconds from one ISO timestamp to another. */
export function secondsBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}
