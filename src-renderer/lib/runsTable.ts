/** Sorting and filtering of the runs table, over plain run records. */
import type { RunRecordWire } from '../../src-main/api/schemas.js';

export type SortKey = 'name' | 'status' | 'dataset' | 'interpolant' | 'seed' | 'stepsDone' | 'lastLoss' | 'bestLoss' | 'createdAt' | 'durationS';
export type SortDir = 'asc' | 'desc';

export interface RunQuery {
  text: string;
  status: string;
  dataset: string;
}

/** Missing values sort last in either direction. */
export function sortRuns(runs: readonly RunRecordWire[], key: SortKey, dir: SortDir): RunRecordWire[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...runs].sort((p, q) => {
    const a = p[key];
    const b = q[key];
    const aMissing = a === null || a === undefined || (typeof a === 'number' && !Number.isFinite(a));
    const bMissing = b === null || b === undefined || (typeof b === 'number' && !Number.isFinite(b));
    if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
    if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
    return sign * String(a).localeCompare(String(b));
  });
}

/** Runs whose id, name, dataset, notes or a tag contain the text, with the given status and dataset. */
export function filterRuns(runs: readonly RunRecordWire[], q: RunQuery): RunRecordWire[] {
  const text = q.text.trim().toLowerCase();
  return runs.filter((r) => {
    if (q.status && r.status !== q.status) return false;
    if (q.dataset && r.dataset !== q.dataset) return false;
    if (!text) return true;
    return [r.id, r.name, r.dataset, r.notes, ...r.tags].some((s) => s.toLowerCase().includes(text));
  });
}

/** Tags typed as "a, b ,c" -> ['a', 'b', 'c'] (trimmed, empty dropped, duplicates dropped). */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}
