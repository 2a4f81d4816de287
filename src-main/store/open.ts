import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { errorCode, UserError } from '../errors.js';
import { migrate } from './migrations.js';
import { makeFolders } from '../paths.js';

/** The store's file name inside the data folder. */
export const DATABASE_FILE = 'flowlab.sqlite';

/**
 * How long a statement waits for another connection's lock before failing (ms): long enough to
 * ride out a large metrics batch or checkpoint written by the other side, short enough that a
 * stuck writer surfaces as an error instead of a hang.
 */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating if needed) `<dataDir>/flowlab.sqlite`, configured and migrated:
 * WAL journal (readers never block the writer), synchronous=NORMAL (in WAL mode this loses no
 * committed transaction on an application crash, only possibly the last ones on power loss),
 * foreign keys on (deleting a run cascades), and a busy timeout.
 */
export function openDatabase(dataDir: string): Database.Database {
  const dir = resolve(dataDir);
  ensureWritableFolder(dir);
  const file = join(dir, DATABASE_FILE);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new UserError(
      `cannot open ${file} (${errorCode(err)}); choose a writable data folder with --data-dir`,
    );
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (err) {
    db.close();
    if (err instanceof UserError) throw err;
    if (isSqliteCode(err, 'SQLITE_NOTADB')) {
      throw new UserError(
        `${file} is not a FlowLab database (${errorCode(err)}); move it aside, or pick another ` +
          `data folder with --data-dir`,
      );
    }
    throw err;
  }
  return db;
}

function ensureWritableFolder(dir: string): void {
  try {
    makeFolders(dir);
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new UserError(
      `data folder ${dir} is not a writable folder (${errorCode(err)}); choose another with --data-dir`,
    );
  }
}

function isSqliteCode(err: unknown, code: string): boolean {
  return !!err && typeof err === 'object' && 'code' in err && err.code === code;
}
