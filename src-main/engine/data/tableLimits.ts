/** Size rules every imported table obeys, whatever its file format. */
import { UserError } from '../../errors.js';

/** Largest row count we import: 10 million rows of a few columns already fill hundreds of MB as float32. */
export const MAX_ROWS = 10_000_000;
/** Fewest rows a dataset can have: one point gives no spread and cannot be split into train and held-out. */
export const MIN_ROWS = 2;

/** Throws a UserError naming the file when n is outside [MIN_ROWS, maxRows]. */
export function checkRowCount(n: number, source: string, maxRows = MAX_ROWS): void {
  if (n === 0) {
    throw new UserError(`${source}: no data rows (0 rows); give at least ${MIN_ROWS} rows, one point per row`);
  }
  if (n < MIN_ROWS) {
    throw new UserError(`${source}: only a single row of data; a dataset needs at least ${MIN_ROWS} rows, one point per row`);
  }
  if (n > maxRows) {
    throw new UserError(
      `${source}: ${n.toLocaleString('en-US')} rows is more than the limit of ${maxRows.toLocaleString('en-US')} (MAX_ROWS); keep a random subset of the rows`,
    );
  }
}

/** Largest finite float32; bigger magnitudes would become Infinity in the Float32Array. */
export const FLOAT32_MAX = 3.4028234663852886e38;
