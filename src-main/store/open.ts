import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { errorCode, UserError } from '../errors.js';
import { makeFolders } from '../paths.js';
import { codeOf, damagedError, storeFailure } from './failures.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './migrations.js';

/** The store's file name inside the data folder. */
export const DATABASE_FILE = 'flowlab.sqlite';

/**
 * How long a statement waits for another connection's lock before failing (ms): long enough to
 * ride out a large metrics batch or checkpoint written by the other side, short enough that a
 * stuck writer surfaces as an error instead of a hang.
 */
export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenOptions {
  /** Open without writing anything (no migration, no recovery); writes then fail with a sentence. */
  readOnly?: boolean;
  busyTimeoutMs?: number;
}

export interface OpenedDatabase {
  db: Database.Database;
  /** The store's file (the connection's own name is ':memory:' for a read-only snapshot). */
  file: string;
  /** Why the store is read-only (a read-only folder or file, or asked for), else null. */
  readOnlyReason: string | null;
  busyTimeoutMs: number;
}

/**
 * Opens (creating if needed) `<dataDir>/flowlab.sqlite`, checked, configured and migrated:
 * WAL journal (readers never block the writer), synchronous=NORMAL (in WAL mode this loses no
 * committed transaction on an application crash, only possibly the last ones on power loss),
 * foreign keys on (deleting a run cascades), and a busy timeout. A store in a folder (or a file)
 * that cannot be written is opened read-only, so its runs can still be listed and exported.
 */
export function openStoreFile(dataDir: string, options: OpenOptions = {}): OpenedDatabase {
  const dir = resolve(dataDir);
  const file = join(dir, DATABASE_FILE);
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  const readOnlyReason = options.readOnly ? 'opened read-only' : writeBlocker(dir, file);
  // Two processes opening one fresh folder race to set WAL mode and migrate. Some of the locks
  // that takes are refused with SQLITE_BUSY at once instead of after the busy timeout (SQLite
  // does not wait where waiting could deadlock), so the whole set-up is retried, within the
  // same time budget, with a short random pause.
  const started = Date.now();
  for (;;) {
    let db: Database.Database;
    try {
      db = readOnlyReason === null ? new Database(file) : openReadOnly(file);
    } catch (err) {
      throw new UserError(
        `cannot open ${file} (${errorCode(err)}); choose a writable data folder with --data-dir`,
      );
    }
    try {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      if (readOnlyReason === null) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('foreign_keys = ON');
      checkIntegrity(db, file);
      checkSchema(db, file);
      if (readOnlyReason === null) migrate(db);
      else if (schemaVersion(db) < SCHEMA_VERSION) {
        throw new UserError(
          `the store ${file} needs upgrading to this FlowLab's schema but is read-only ` +
            `(${readOnlyReason}); make the data folder writable, or use the FlowLab that made it`,
        );
      }
      return { db, file, readOnlyReason, busyTimeoutMs };
    } catch (err) {
      db.close();
      if (codeOf(err).startsWith('SQLITE_BUSY') && Date.now() - started < busyTimeoutMs) {
        pause(OPEN_RETRY_MIN_MS + Math.random() * OPEN_RETRY_SPREAD_MS);
        continue;
      }
      throw storeFailure(err, file, busyTimeoutMs, readOnlyReason);
    }
  }
}

/** A pause between open attempts: long enough for the other process to finish its set-up. */
const OPEN_RETRY_MIN_MS = 10;
const OPEN_RETRY_SPREAD_MS = 40;

/** Blocks this thread for `ms` (opening the store is synchronous, as better-sqlite3 is). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A read-only connection. A WAL store closed cleanly has no -shm file, and SQLite cannot read it
 * in place without creating one, which a read-only folder forbids: then the store is read from a
 * snapshot of its file in memory instead (marked as a rollback-journal file, the same pages, since
 * an in-memory copy cannot be in WAL mode).
 */
function openReadOnly(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db.close();
    if (codeOf(err) !== 'SQLITE_CANTOPEN') throw err;
  }
  const bytes = readFileSync(file);
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
  return new Database(bytes, { readonly: true });
}

/** openStoreFile's connection alone. */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Database.Database {
  return openStoreFile(dataDir, options).db;
}

/**
 * Null if the store can be written, else why not. A folder that cannot be written but already
 * holds a store gives read-only access; one that cannot even be created, or holds no store, is
 * refused. (access(2) answers for the caller's real permissions, read-only mounts and immutable
 * files included.)
 */
function writeBlocker(dir: string, file: string): string | null {
  try {
    makeFolders(dir);
    accessSync(dir, constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK);
    return null;
  } catch (err) {
    if (existsSync(file)) return `${dir} is not writable: ${errorCode(err)}`;
    throw new UserError(
      `data folder ${dir} is not a writable folder (${errorCode(err)}); choose another with --data-dir`,
    );
  }
}

/**
 * PRAGMA quick_check: reads every page once (without the slower index cross-checks of
 * integrity_check), so a damaged file is refused with how to recover, before a run is written
 * into it or a half-read run is shown as whole.
 */
function checkIntegrity(db: Database.Database, file: string): void {
  const result = db.pragma('quick_check(1)', { simple: true });
  if (result !== 'ok') throw damagedError(file, `quick_check: ${String(result)}`);
}

/** FlowLab's tables: a file at a FlowLab schema version without them is someone else's. */
const FLOWLAB_TABLES = ['runs', 'metrics', 'checkpoints'];

/**
 * Refuses a SQLite file that is not FlowLab's (another program's tables, no FlowLab schema
 * version) rather than add FlowLab's tables to it; a newer FlowLab's file is refused by migrate.
 */
function checkSchema(db: Database.Database, file: string): void {
  // One read transaction: read apart, another process's first migration could commit in between
  // and make a fresh store look like version 0 with tables, i.e. foreign.
  const { version, tables } = db.transaction(() => ({
    version: schemaVersion(db),
    tables: db.prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    ).pluck().all() as string[],
  }))();
  if (version > SCHEMA_VERSION) return;
  const foreign = version === 0
    ? tables.length > 0
    : FLOWLAB_TABLES.some((t) => !tables.includes(t));
  if (!foreign) return;
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
  throw new UserError(
    `${file} is a SQLite database but not a FlowLab store (schema version ${version}, tables: ` +
      `${shown || 'none'}); move it out of the data folder, or pick another data folder with --data-dir`,
  );
}
