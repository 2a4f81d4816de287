/**
 * A sweep: one experiment queued once per value of one setting (seeds, a learning rate, a width),
 * each run named after its value, so the runs table groups and compares them.
 */
import type { ExperimentConfig } from '../../../src-main/api/config.js';

export interface SweepSetting {
  /** Config path, e.g. 'train.seed'. */
  path: 'train.seed' | 'train.lr' | 'train.batch' | 'train.steps' | 'net.width' | 'net.depth';
  label: string;
  /** Short name for run names ("seed=3"). */
  short: string;
  integer: boolean;
}

export const SWEEP_SETTINGS: readonly SweepSetting[] = [
  { path: 'train.seed', label: 'Seed', short: 'seed', integer: true },
  { path: 'train.lr', label: 'Learning rate', short: 'lr', integer: false },
  { path: 'train.batch', label: 'Batch size', short: 'batch', integer: true },
  { path: 'train.steps', label: 'Steps', short: 'steps', integer: true },
  { path: 'net.width', label: 'Width', short: 'width', integer: true },
  { path: 'net.depth', label: 'Depth', short: 'depth', integer: true },
];

/** Runs one sweep may queue: a grid's worth, well under the queue's limit of waiting jobs. */
export const MAX_SWEEP_RUNS = 20;

/** Values typed as "1, 2, 3": numbers, at least two, distinct; otherwise a one-line message. */
export function parseSweepValues(text: string, setting: SweepSetting): number[] | string {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  const values: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isFinite(v)) return `sweep values must be numbers separated by commas, got '${p}'`;
    if (setting.integer && !Number.isInteger(v)) return `${setting.label.toLowerCase()} values must be whole numbers, got '${p}'`;
    if (values.includes(v)) return `each value once: ${p} is listed twice`;
    values.push(v);
  }
  if (values.length < 2) return 'a sweep needs at least two values, separated by commas';
  if (values.length > MAX_SWEEP_RUNS) return `a sweep queues at most ${MAX_SWEEP_RUNS} runs, got ${values.length} values`;
  return values;
}

/** One config per value, named "<name> · <setting>=<value>". */
export function sweepConfigs(config: ExperimentConfig, name: string, setting: SweepSetting, values: number[]): ExperimentConfig[] {
  const [group, key] = setting.path.split('.') as ['train' | 'net', string];
  return values.map((v) => {
    const c = JSON.parse(JSON.stringify(config)) as ExperimentConfig;
    (c[group] as unknown as Record<string, number>)[key] = v;
    return { ...c, name: `${name} · ${setting.short}=${v}` };
  });
}
