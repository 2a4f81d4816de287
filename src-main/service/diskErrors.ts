/** Errors of writing files that the user can act on, as one line each. */
import { dirname } from 'node:path';
import { UserError } from '../errors.js';

/** A full disk (or quota) as a UserError naming the folder; null for any other error. */
export function diskFullError(err: unknown, path: string): UserError | null {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return null;
  return new UserError(`the disk holding ${dirname(path)} is full; free some space and try again (nothing was saved)`);
}
