/**
 * Option parsing for every command: node:util parseArgs (strict), with number checks and the
 * options every command shares (--data-dir, --threads, --json, --help).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKENDS, type BackendChoice } from '../api/config.js';
import { UserError } from '../errors.js';
import { defaultDataDir } from '../paths.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS: OptionSpec = {
  'data-dir': { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const COMMON_HELP = `  --data-dir DIR        where runs are stored (default: ${defaultDataDir()}; env FLOWLAB_DATA_DIR)
  --threads N           ONNX Runtime threads (default: one per core)
  --json                print the result as one JSON object on the last line
  -h, --help            show this help`;

export type Parsed = Record<string, string | boolean | undefined>;

export function parse(command: string, argv: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals: true });
    if (positionals.length) throw new UserError(`unexpected argument '${positionals[0]}'; see \`flowlab ${command} --help\``);
    return values as Parsed;
  } catch (e) {
    if (e instanceof UserError) throw e;
    const text = (e as Error).message;
    // node:util's parseArgs reads '--rtol -1' as an option without its value, in three lines
    const dashed = /^Option '(--[\w-]+)' argument is ambiguous/.exec(text);
    const msg = dashed
      ? `${dashed[1]} needs a value; write one that starts with a dash as ${dashed[1]}=-X`
      : text.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '').replace(/\s*\n\s*/g, '; ');
    throw new UserError(`${msg}; see \`flowlab ${command} --help\``);
  }
}

export function str(v: Parsed, name: string): string | undefined {
  const x = v[name];
  return typeof x === 'string' ? x : undefined;
}

export function num(v: Parsed, name: string, opts: { integer?: boolean; min?: number; max?: number; positive?: boolean } = {}): number | undefined {
  const raw = str(v, name);
  if (raw === undefined) return undefined;
  const x = Number(raw);
  const what = opts.integer ? 'a whole number' : 'a number';
  if (raw.trim() === '' || !Number.isFinite(x) || (opts.integer && !Number.isInteger(x))) {
    throw new UserError(`--${name} must be ${what}, got '${raw}'`);
  }
  if (opts.positive && x <= 0) throw new UserError(`--${name} must be greater than 0, got ${raw}`);
  if (opts.min !== undefined && x < opts.min) throw new UserError(`--${name} must be at least ${opts.min}, got ${raw}`);
  if (opts.max !== undefined && x > opts.max) throw new UserError(`--${name} must be at most ${opts.max}, got ${raw}`);
  return x;
}

export function dataDir(v: Parsed): string {
  return str(v, 'data-dir') ?? defaultDataDir();
}

export function threads(v: Parsed): number | undefined {
  return num(v, 'threads', { integer: true, min: 1, max: 256 });
}

export const SOLVE_BACKEND_HELP = `  --backend NAME        ${BACKENDS.join(' | ')} (default: the run's; auto solves on a GPU when one works)`;

/** --backend of the commands that solve ODEs with a trained run (sample, eval). */
export function backendArg(v: Parsed): BackendChoice | undefined {
  const b = str(v, 'backend');
  if (b !== undefined && !(BACKENDS as readonly string[]).includes(b)) throw new UserError(`unknown backend '${b}'; choose one of ${BACKENDS.join(', ')}`);
  return b as BackendChoice | undefined;
}
