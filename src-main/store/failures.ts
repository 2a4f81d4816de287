import { basename } from 'node:path';
import { errorCode, UserError } from '../errors.js';

/**
 * The store's failures as sentences. SQLite reports a busy lock, a full disk, a read-only file
 * or a damaged one by result code; each becomes one UserError line saying what is wrong and what
 * to do, which every door shows as it is (the CLI prints one line instead of a stack). Other
 * errors (a constraint broken by FlowLab's own code) stay as they are: they are bugs.
 */

/** A SQLite (SQLITE_*) or file-system (E*) error code, or '' if the error carries none. */
export function codeOf(err: unknown): string {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

/** What a user can do with a damaged store file: said wherever one is found. */
export function damagedAdvice(file: string): string {
  const name = basename(file);
  return `close FlowLab, move ${name} (and any ${name}-wal and ${name}-shm beside it) out of the ` +
    `data folder and restore a backup copy, or let FlowLab start a fresh store there; the sqlite3 ` +
    `shell's .recover command can rescue runs from the moved file`;
}

export function damagedError(file: string, detail: string): UserError {
  // quick_check reports over several lines ("*** in database main ***\nTree 5 page 5: ...").
  const oneLine = detail.replace(/\s+/g, ' ').replace('*** in database main *** ', '').trim();
  return new UserError(`the store ${file} is damaged (${oneLine}); ${damagedAdvice(file)}`);
}

/**
 * The UserError for a SQLite or disk failure on the store `file`, or `err` itself if it is not
 * one of those. `readOnlyReason` says why the store was opened read-only, if it was.
 */
export function storeFailure(
  err: unknown, file: string, busyTimeoutMs: number, readOnlyReason: string | null = null,
): unknown {
  if (err instanceof UserError) return err;
  const code = codeOf(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new UserError(
      `the store ${file} stayed locked by another FlowLab process (a training, the app or a CLI ` +
        `command) for over ${busyTimeoutMs / 1000} s; let it finish or close it, then try again`,
    );
  }
  // SQLite reports a write that hit ENOSPC as SQLITE_FULL; ENOSPC itself comes from file writes.
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new UserError(
      `the disk holding ${file} is full (${code}); free some space, or move the data folder to a ` +
        `larger disk and pass --data-dir, then try again; what was saved before is intact`,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'EROFS') {
    const why = readOnlyReason ?? `${code}`;
    return new UserError(
      `the store ${file} is read-only (${why}), so runs can be listed and exported but not changed; ` +
        `make the data folder writable, or copy it somewhere writable and pass --data-dir`,
    );
  }
  if (code === 'SQLITE_NOTADB') {
    return new UserError(
      `${file} is not a FlowLab database: it is damaged, or another kind of file (${code}); ` +
        damagedAdvice(file),
    );
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return damagedError(file, `${code}: ${errorMessage(err)}`);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new UserError(
      `could not read or write the store ${file} (${code}); check that the disk and the data ` +
        `folder are still there and accessible, then try again`,
    );
  }
  return err;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : errorCode(err);
}
