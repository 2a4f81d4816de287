/**
 * Reads a user's data file without trusting what the path names. The path may be a FIFO, a
 * character device (/dev/zero, /dev/stdin), a folder or a huge file: opening with O_NONBLOCK
 * means a FIFO with no writer cannot block the process, fstat on the open descriptor (not the
 * path, which could change in between) must say "regular file", and the size is checked before
 * a byte is read, so memory is bounded by the limit whatever the path holds.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_IMPORT_BYTES } from '../../api/limits.js';
import { UserError } from '../../errors.js';
import { fileReadError } from './fileErrors.js';

/** What a path that is not a regular file is, in words. */
function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** The bytes of a regular file of at most maxBytes; a UserError for anything else. */
export function readRegularFile(path: string, maxBytes = MAX_IMPORT_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw fileReadError(path, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new UserError(`${path}: is ${kindOf(st)}, not a data file; give the path of a .csv or .npy file`);
    }
    if (st.size > maxBytes) {
      throw new UserError(
        `${path}: ${megabytes(st.size)} is larger than the ${megabytes(maxBytes)} a data file may have; keep a random subset of its rows`,
      );
    }
    const bytes = Buffer.allocUnsafe(st.size);
    let filled = 0;
    // The file may shrink while it is read; never read past the size checked above.
    while (filled < bytes.length) {
      const got = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (got === 0) break;
      filled += got;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw fileReadError(path, e);
  } finally {
    closeSync(fd);
  }
}
