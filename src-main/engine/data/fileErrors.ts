import { UserError } from '../../errors.js';

/** A UserError for a file that cannot be read (missing, a folder, unreadable, too big). */
export function fileReadError(path: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UserError(`${path}: file not found; check the path`);
  if (code === 'EISDIR') return new UserError(`${path}: is a folder, not a file; give the path of a .csv or .npy file`);
  if (code === 'ERR_STRING_TOO_LONG') return new UserError(`${path}: too large to read as text; save it as .npy instead`);
  return new UserError(`${path}: cannot read the file (${(e as Error).message}); check its permissions`);
}
