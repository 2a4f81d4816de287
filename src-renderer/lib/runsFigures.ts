/**
 * The runs table's figures: a windowed loss and the latest evaluation's KL gap, NLL, W2 and
 * straightness beside each run; sorting by them (within a dataset: a loss on the checkerboard
 * and one on moons measure different problems), filtering by a bound, elapsed time of running
 * rows, and groups of runs that differ only in their seed, as mean +- std.
 */
import type { ResultOf } from '../../src-main/api/contract.js';
import type { RunRecordWire } from '../../src-main/api/schemas.js';
import { metricInfo } from '../../src-main/api/metricInfo.js';

export type RunFigures = ResultOf<'runs.figures'>[number];
export interface TableRow {
  run: RunRecordWire;
  figures: RunFigures | null;
}

export type FigureKey = 'recentLoss' | 'klGap' | 'nll' | 'w2' | 'straightness';
/** Short labels for narrow columns; the hover text is the figure's own (api/metricInfo.ts). */
export const FIGURE_COLUMNS: { key: FigureKey; label: string; title: string }[] = [
  { key: 'recentLoss', label: 'Loss (last 100 steps)', title: 'Mean training loss over the last 100 steps' },
  { key: 'klGap', label: 'KL gap (nats)', title: evaluationTitle('klGap') },
  { key: 'nll', label: 'NLL (nats)', title: evaluationTitle('nll') },
  { key: 'w2', label: 'W2', title: evaluationTitle('w2') },
  { key: 'straightness', label: 'Straightness', title: evaluationTitle('straightness') },
];

/** "Wasserstein-2 distance (exact), data units, latest evaluation: ..." */
function evaluationTitle(key: string): string {
  const info = metricInfo(key);
  return info ? `${info.name}${info.unit ? `, ${info.unit}` : ''}, latest evaluation: ${info.explain}` : key;
}

export function figureOf(row: TableRow, key: FigureKey): number | null {
  const f = row.figures;
  if (!f) return null;
  const v = key === 'recentLoss' ? f.recentLoss : f.evaluation?.[key] ?? null;
  return v !== null && Number.isFinite(v) ? v : null;
}

export function isFigureKey(key: string): key is FigureKey {
  return FIGURE_COLUMNS.some((c) => c.key === key);
}

/**
 * Rows sorted by a figure, grouped by dataset (datasets in name order), missing values last in
 * each group: a figure compares runs of one dataset only.
 */
export function sortByFigure(rows: readonly TableRow[], key: FigureKey, dir: 'asc' | 'desc'): TableRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((p, q) => {
    if (p.run.dataset !== q.run.dataset) return p.run.dataset.localeCompare(q.run.dataset);
    const a = figureOf(p, key), b = figureOf(q, key);
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return sign * (a - b);
  });
}

/** A bound on one figure ("KL gap at most 0.1"); rows without the figure do not pass. */
export interface FigureBound {
  key: FigureKey;
  op: 'max' | 'min';
  value: number;
}

/** Parses the bound box: empty is no bound; anything but a number is a one-line message. */
export function parseBound(key: FigureKey, op: 'max' | 'min', text: string): FigureBound | null | string {
  const t = text.trim();
  if (!t) return null;
  const value = Number(t);
  if (!Number.isFinite(value)) return `the bound must be a number, got '${t}'`;
  return { key, op, value };
}

export function passesBound(row: TableRow, b: FigureBound | null): boolean {
  if (!b) return true;
  const v = figureOf(row, b.key);
  return v !== null && (b.op === 'max' ? v <= b.value : v >= b.value);
}

/** Seconds a run has trained: its recorded time, plus the current interval while it runs. */
export function elapsedSeconds(row: TableRow, nowMs: number): number {
  const since = row.figures?.runningSince;
  if (row.run.status !== 'running' || !since) return row.run.durationS;
  return row.run.durationS + Math.max(0, (nowMs - Date.parse(since)) / 1000);
}

/** What makes two runs the same experiment: the config without its seed (and without a name). */
export function experimentKey(run: RunRecordWire): string {
  // a JSON copy: the record may be a reactive proxy, which structuredClone refuses
  const c = JSON.parse(JSON.stringify(run.config ?? null)) as { train?: { seed?: unknown }; name?: unknown } | null;
  if (c && typeof c === 'object') {
    if (c.train) delete c.train.seed;
    delete c.name;
  }
  return JSON.stringify(c, Object.keys(flattenKeys(c)).sort());
}

function flattenKeys(v: unknown, out: Record<string, true> = {}): Record<string, true> {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) {
      out[k] = true;
      flattenKeys(x, out);
    }
  }
  return out;
}

export interface Stat {
  mean: number;
  std: number;
  n: number;
}

/** Mean and sample standard deviation (n - 1) of the finite values; null if none. */
export function meanStd(values: (number | null)[]): Stat | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (!v.length) return null;
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std, n: v.length };
}

export interface SeedGroup {
  key: string;
  /** The first run's name, for the group's label. */
  name: string;
  dataset: string;
  seeds: number[];
  rows: TableRow[];
  stats: Record<FigureKey, Stat | null>;
}

/** Runs of one experiment over two or more seeds, with each figure's mean +- std. */
export function seedGroups(rows: readonly TableRow[]): SeedGroup[] {
  const by = new Map<string, TableRow[]>();
  for (const r of rows) {
    const k = experimentKey(r.run);
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  const out: SeedGroup[] = [];
  for (const [key, members] of by) {
    if (members.length < 2) continue;
    const stats = Object.fromEntries(FIGURE_COLUMNS.map((c) => [c.key, meanStd(members.map((m) => figureOf(m, c.key)))])) as Record<FigureKey, Stat | null>;
    out.push({ key, name: members[0].run.name, dataset: members[0].run.dataset, seeds: members.map((m) => m.run.seed).sort((a, b) => a - b), rows: members, stats });
  }
  return out;
}
