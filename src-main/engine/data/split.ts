/**
 * Train / held-out split: a seeded random set of round(fraction n) rows (at least 1, and at least
 * 1 row left to train on) becomes the held-out set; both keep the rows' original order.
 */
import { UserError } from '../../errors.js';
import { Rng } from '../random.js';
import { chooseRows, rowsWhere } from './rowSelection.js';
import { SPLIT_STREAM } from './streams.js';
import type { Dataset } from './types.js';

/** Default held-out fraction: 10% of the rows, the usual tabular-benchmark split. */
export const DEFAULT_HELD_OUT = 0.1;

export function splitHeldOut(dataset: Dataset, fraction = DEFAULT_HELD_OUT, seed = 0): { train: Dataset; test: Dataset } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new UserError(`held-out fraction must lie strictly between 0 and 1, got ${fraction}; the default is ${DEFAULT_HELD_OUT}`);
  }
  const { n, d } = dataset;
  if (n < 2) {
    throw new UserError(`${dataset.name} has ${n} row${n === 1 ? '' : 's'}, too few to split into train and held-out sets; give at least 2 rows`);
  }
  const nTest = Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
  const held = chooseRows(n, nTest, new Rng(seed, SPLIT_STREAM));
  const part = (want: 0 | 1, rows: number): Dataset => ({ ...dataset, data: rowsWhere(dataset.data, d, held, want), n: rows });
  return { train: part(0, n - nTest), test: part(1, nTest) };
}
