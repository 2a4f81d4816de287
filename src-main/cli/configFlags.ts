/**
 * The experiment-config fields `flowlab train` sets, each as its flag; the help text and defaults
 * come from the config schema (api/config.ts). A refused field is reported by its flag here only:
 * the service names it by path (`train.lr`), the CLI as `--lr`.
 */
import { fieldChoices, fieldDefault, fieldHelp, type ExperimentConfig } from '../api/config.js';
import { UserError } from '../errors.js';
import type { OptionSpec, Parsed } from './args.js';

export interface ConfigFlag {
  flag: string;
  /** The config field it sets. */
  path: string;
  /** How the value is written in the help (N, X, NAME). */
  meta: string;
  /** list: comma-separated whole numbers (1,2,2); yesno: true/false, yes/no, on/off. */
  type: 'number' | 'text' | 'list' | 'yesno';
}

export const CONFIG_FLAGS: readonly ConfigFlag[] = [
  { flag: 'base', path: 'base', meta: 'SPEC', type: 'text' },
  { flag: 'interpolant', path: 'interpolant', meta: 'NAME', type: 'text' },
  { flag: 'steps', path: 'train.steps', meta: 'N', type: 'number' },
  { flag: 'batch', path: 'train.batch', meta: 'B', type: 'number' },
  { flag: 'lr', path: 'train.lr', meta: 'X', type: 'number' },
  { flag: 'lr-floor', path: 'train.lrFloor', meta: 'F', type: 'number' },
  { flag: 'width', path: 'net.width', meta: 'W', type: 'number' },
  { flag: 'depth', path: 'net.depth', meta: 'D', type: 'number' },
  { flag: 'activation', path: 'net.activation', meta: 'NAME', type: 'text' },
  { flag: 'net', path: 'net.kind', meta: 'KIND', type: 'text' },
  { flag: 'base-channels', path: 'net.baseChannels', meta: 'C', type: 'number' },
  { flag: 'channel-mults', path: 'net.channelMults', meta: 'M,M', type: 'list' },
  { flag: 'blocks', path: 'net.blocksPerLevel', meta: 'N', type: 'number' },
  { flag: 'attention', path: 'net.attention', meta: 'on|off', type: 'yesno' },
  { flag: 'image-size', path: 'images.size', meta: 'PX', type: 'number' },
  { flag: 'color', path: 'images.color', meta: 'NAME', type: 'text' },
  { flag: 'sde-eps', path: 'images.sdeEps', meta: 'E', type: 'number' },
  { flag: 'ema', path: 'train.emaDecay', meta: 'X', type: 'number' },
  { flag: 'time-sampling', path: 'train.timeSampling', meta: 'NAME', type: 'text' },
  { flag: 'coupling', path: 'train.coupling', meta: 'NAME', type: 'text' },
  { flag: 'seed', path: 'train.seed', meta: 'S', type: 'number' },
  { flag: 'name', path: 'name', meta: 'TEXT', type: 'text' },
  { flag: 'backend', path: 'backend', meta: 'NAME', type: 'text' },
  { flag: 'threads', path: 'threads', meta: 'N', type: 'number' },
];

export const CONFIG_OPTIONS: OptionSpec = Object.fromEntries(CONFIG_FLAGS.map((f) => [f.flag, { type: 'string' }]));

/** Column where help text starts, and the width it wraps at. */
const HELP_INDENT = 24;
const HELP_WIDTH = 100;

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && HELP_INDENT + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Help lines for the config flags, generated from the schema's help, choices and defaults. */
export function configFlagsHelp(skip: readonly string[] = []): string {
  const pad = ' '.repeat(HELP_INDENT);
  return CONFIG_FLAGS.filter((f) => !skip.includes(f.flag))
    .map((f) => {
      const head = `  --${f.flag} ${f.meta}`;
      const choices = fieldChoices(f.path);
      const d = fieldDefault(f.path);
      const text = `${fieldHelp(f.path)}${choices ? `: ${choices.join(' | ')}` : ''}${d === undefined ? '' : ` (default ${d})`}`;
      const [first, ...rest] = wrap(text);
      const top = head.length < HELP_INDENT ? `${head.padEnd(HELP_INDENT)}${first}` : `${head}\n${pad}${first}`;
      return [top, ...rest.map((l) => pad + l)].join('\n');
    })
    .join('\n');
}

/** The given flags written into a config (numbers parsed; ranges are the schema's to check). */
export function applyConfigFlags(config: ExperimentConfig, v: Parsed): void {
  for (const f of CONFIG_FLAGS) {
    const raw = v[f.flag];
    if (typeof raw !== 'string') continue;
    let value: string | number | number[] | boolean = raw;
    if (f.type === 'number') {
      value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw new UserError(`--${f.flag} must be a number, got '${raw}'`);
    } else if (f.type === 'list') {
      value = raw.split(',').map((x) => Number(x.trim()));
      if (value.some((x) => !Number.isFinite(x)) || raw.trim() === '') throw new UserError(`--${f.flag} must be numbers separated by commas (e.g. 1,2,2), got '${raw}'`);
    } else if (f.type === 'yesno') {
      const word = raw.trim().toLowerCase();
      if (!['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'].includes(word)) throw new UserError(`--${f.flag} must be on or off, got '${raw}'`);
      value = ['true', 'yes', 'on', '1'].includes(word);
    }
    const keys = f.path.split('.');
    let target = config as unknown as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
    target[keys[keys.length - 1]] = value;
  }
}

/** The flag that sets a field (`train.lr` -> `--lr`, `sdeEps` -> `--sde-eps`); other fields keep their path. */
export function flagOf(field: string): string {
  const f = CONFIG_FLAGS.find((c) => c.path === field);
  if (f) return `--${f.flag}`;
  return field.includes('.') ? field : `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A UserError's one line as the CLI prints it: the field at fault named by its flag. */
export function cliMessage(err: UserError): string {
  const field = err.field;
  if (!field || !err.message.startsWith(`${field} `)) return err.message;
  return `${flagOf(field)}${err.message.slice(field.length)}`;
}
