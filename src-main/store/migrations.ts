import type Database from 'better-sqlite3';
import { UserError } from '../errors.js';

/**
 * Numbered schema migrations. The database's `PRAGMA user_version` is the number of the last
 * migration applied; each migration runs in its own transaction together with the version bump,
 * so a crash leaves the file at one version or the next, never in between. Migrations are only
 * ever appended: a released migration is never edited.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, metrics, checkpoints, samples, evaluations, artifacts',
    sql: `
      CREATE TABLE runs (
        id                  TEXT PRIMARY KEY,
        name                TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN
                              ('queued','running','paused','completed','failed','interrupted','stopped')),
        config              TEXT NOT NULL,
        seed                INTEGER NOT NULL,
        backend             TEXT,
        app_version         TEXT NOT NULL,
        onnxruntime_version TEXT,
        dataset             TEXT NOT NULL,
        interpolant         TEXT NOT NULL,
        created_at          TEXT NOT NULL,
        updated_at          TEXT NOT NULL,
        started_at          TEXT,
        running_since       TEXT,
        finished_at         TEXT,
        duration_s          REAL NOT NULL DEFAULT 0,
        steps_done          INTEGER NOT NULL DEFAULT 0,
        last_loss           REAL,
        best_loss           REAL,
        failure_reason      TEXT,
        tags                TEXT NOT NULL DEFAULT '[]',
        notes               TEXT NOT NULL DEFAULT '',
        pid                 INTEGER,
        host                TEXT
      );
      CREATE INDEX runs_by_created ON runs (created_at);
      CREATE INDEX runs_by_status ON runs (status);

      CREATE TABLE metrics (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name   TEXT NOT NULL,
        step   INTEGER NOT NULL,
        value  REAL,
        PRIMARY KEY (run_id, name, step)
      ) WITHOUT ROWID;

      CREATE TABLE checkpoints (
        id         INTEGER PRIMARY KEY,
        run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        step       INTEGER NOT NULL,
        loss       REAL,
        created_at TEXT NOT NULL,
        pinned     INTEGER NOT NULL DEFAULT 0,
        params     BLOB NOT NULL,
        ema        BLOB,
        adam_m     BLOB,
        adam_v     BLOB,
        rng_state  TEXT NOT NULL,
        extra      TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX checkpoints_by_run ON checkpoints (run_id, id);

      CREATE TABLE samples (
        id         INTEGER PRIMARY KEY,
        run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        kind       TEXT NOT NULL,
        frames     INTEGER NOT NULL DEFAULT 1,
        n          INTEGER NOT NULL,
        d          INTEGER NOT NULL,
        data       BLOB NOT NULL,
        meta       TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX samples_by_run ON samples (run_id, kind, id);

      CREATE TABLE evaluations (
        id         INTEGER PRIMARY KEY,
        run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        params     TEXT NOT NULL,
        results    TEXT NOT NULL
      );
      CREATE INDEX evaluations_by_run ON evaluations (run_id, id);

      CREATE TABLE artifacts (
        id         INTEGER PRIMARY KEY,
        run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        kind       TEXT NOT NULL,
        path       TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX artifacts_by_run ON artifacts (run_id, id);
    `,
  },
];

/** The schema version this build of FlowLab writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `SCHEMA_VERSION`, one migration per transaction; refuses a file
 * written by a newer FlowLab rather than guess at its layout.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new UserError(
      `${db.name} was made by a newer FlowLab (schema version ${current}; this version knows up to ` +
        `${latest}); update FlowLab, or pick another data folder with --data-dir`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      // Another process opening the same folder may have applied it since `current` was read.
      if (schemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
