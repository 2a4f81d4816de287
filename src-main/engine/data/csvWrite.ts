/**
 * Writes [n, d] arrays as comma-separated text with a header row. Float32 values are written
 * with the fewest digits that read back to the same float32, so write -> read is exact.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { checkShape } from './arrayShape.js';

/** Rows formatted per write call: bounds the size of each text chunk. */
const ROWS_PER_CHUNK = 65_536;
/** 9 significant digits always identify a float32 (FLT_DECIMAL_DIG). */
const FLOAT32_DIGITS = 9;

/** Shortest decimal text s with Math.fround(Number(s)) === v (v a float32 value). */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  let lo = 1;
  let hi = FLOAT32_DIGITS;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(v.toPrecision(mid))) === v) hi = mid;
    else lo = mid + 1;
  }
  return String(Number(v.toPrecision(lo)));
}

function quoteName(name: string): string {
  return /[",;\t\n\r]/.test(name) || name.trim() !== name ? `"${name.replace(/"/g, '""')}"` : name;
}

/** CSV text of one chunk of rows [from, to). */
function formatRows(data: Float32Array | Float64Array, d: number, from: number, to: number): string {
  const format = data instanceof Float32Array ? formatFloat32 : String;
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    const cells = new Array<string>(d);
    for (let j = 0; j < d; j++) cells[j] = format(data[i * d + j]);
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Writes a header (columns, default x1..xd) and one line per row to `path`. */
export function writeCsv(path: string, data: Float32Array | Float64Array, n: number, d: number, columns?: string[]): void {
  checkShape(data, n, d);
  const names = columns ?? Array.from({ length: d }, (_, j) => `x${j + 1}`);
  if (names.length !== d) throw new Error(`writeCsv: ${names.length} column names for ${d} columns`);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, names.map(quoteName).join(',') + '\n');
    for (let from = 0; from < n; from += ROWS_PER_CHUNK) {
      writeSync(fd, formatRows(data, d, from, Math.min(n, from + ROWS_PER_CHUNK)));
    }
  } finally {
    closeSync(fd);
  }
}
