/**
 * An error caused by what the user asked for (bad option, bad file, unknown run): its message
 * names the problem and the fix, and the CLI prints it as one line with a non-zero exit code.
 * `field`: the setting at fault by its path (`train.lr`, `n`), when the message starts with it;
 * each door names that field its own way (the CLI as its flag, the wizard at its input).
 */
export class UserError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A file-system error's code (ENOENT, EACCES, ...), else its message: for one-line reports. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
