/**
 * Reads a user's CSV into a numeric table. Rules:
 * - separator: tab, semicolon or comma, the first of these that splits the first lines into the
 *   same number of cells (with ';' or tab a decimal comma is accepted: "1,5" reads as 1.5);
 * - header: the first row is a header when any of its cells is not a number;
 * - blank lines (trailing or not) are skipped; cells may be double-quoted;
 * - a column whose every data cell is text (a label column) is left out and reported in
 *   `droppedColumns`; a text cell in a column of numbers, an empty cell, NaN or Infinity is an
 *   error naming its line and column.
 */
import { UserError } from '../../errors.js';
import { fileReadError } from './fileErrors.js';
import { readRegularFile } from './safeRead.js';
import { FLOAT32_MAX, MAX_ROWS, checkRowCount } from './tableLimits.js';
import type { ImportedTable } from './types.js';

const SEPARATORS = ['\t', ';', ','] as const;
type Separator = (typeof SEPARATORS)[number];
/** Lines looked at to choose the separator. */
const SNIFF_LINES = 20;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const DECIMAL_COMMA = /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/;

export interface CsvOptions {
  /** Row limit (default MAX_ROWS). */
  maxRows?: number;
}

function sepName(sep: Separator): string {
  return sep === '\t' ? 'tab' : `'${sep}'`;
}

/** Splits one line at `sep` outside double quotes; trims cells and removes their quotes. */
function splitCells(line: string, sep: Separator): string[] {
  if (!line.includes('"')) return line.split(sep).map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === sep && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

function detectSeparator(lines: string[]): Separator {
  const sample = lines.slice(0, SNIFF_LINES);
  const counts = (sep: Separator) => sample.map((l) => splitCells(l, sep).length - 1);
  for (const sep of SEPARATORS) {
    const c = counts(sep);
    if (c[0] > 0 && c.every((k) => k === c[0])) return sep;
  }
  // No consistent choice: take the separator most used on the first line; rows that disagree
  // are then reported as ragged with their line numbers.
  let best: Separator = ',';
  let bestCount = 0;
  for (const sep of SEPARATORS) {
    const k = counts(sep)[0];
    if (k > bestCount) [best, bestCount] = [sep, k];
  }
  return best;
}

type Cell = { kind: 'number'; value: number } | { kind: 'text' } | { kind: 'empty' } | { kind: 'nonfinite' };

function classify(cell: string, decimalComma: boolean): Cell {
  if (cell === '') return { kind: 'empty' };
  if (NUMBER.test(cell)) {
    const v = Number(cell);
    return Number.isFinite(v) ? { kind: 'number', value: v } : { kind: 'nonfinite' };
  }
  if (decimalComma && DECIMAL_COMMA.test(cell)) return { kind: 'number', value: Number(cell.replace(',', '.')) };
  if (NON_FINITE.test(cell)) return { kind: 'nonfinite' };
  return { kind: 'text' };
}

/** Parses CSV text (rules in the file comment); `source` names the file in errors. */
export function parseCsv(text: string, source: string, options: CsvOptions = {}): ImportedTable {
  const maxRows = options.maxRows ?? MAX_ROWS;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rawLines = text.split(/\r\n|\n|\r/);
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  rawLines.forEach((l, i) => {
    if (l.trim() !== '') {
      lines.push(l);
      lineNumbers.push(i + 1);
    }
  });
  if (lines.length === 0) {
    throw new UserError(`${source}: the file is empty; give one row per point and one column per dimension`);
  }
  const sep = detectSeparator(lines);
  const decimalComma = sep !== ',';
  const first = splitCells(lines[0], sep);
  const hasHeader = first.some((c) => {
    const k = classify(c, decimalComma).kind;
    return k === 'text' || k === 'empty';
  });
  const width = first.length;
  const columns = hasHeader ? first.map((c, j) => c || `column ${j + 1}`) : first.map((_, j) => `x${j + 1}`);
  const start = hasHeader ? 1 : 0;
  const n = lines.length - start;
  checkRowCount(n, source, maxRows);

  const values = new Float32Array(n * width);
  const numericCount = new Int32Array(width);
  const firstText: ({ line: number; cell: string } | undefined)[] = new Array(width).fill(undefined);
  for (let r = 0; r < n; r++) {
    const lineNo = lineNumbers[start + r];
    const cells = splitCells(lines[start + r], sep);
    if (cells.length !== width) {
      throw new UserError(
        `${source}: line ${lineNo} has ${cells.length} cells but line ${lineNumbers[0]} has ${width} (separator ${sepName(sep)}); give every row the same number of columns`,
      );
    }
    for (let j = 0; j < width; j++) {
      const c = classify(cells[j], decimalComma);
      const where = `line ${lineNo}, column ${j + 1}`;
      if (c.kind === 'number') {
        if (Math.abs(c.value) > FLOAT32_MAX) {
          throw new UserError(`${source}: ${where} ('${cells[j]}') is too large for float32 (max 3.4e38); rescale that column`);
        }
        values[r * width + j] = c.value;
        numericCount[j]++;
      } else if (c.kind === 'empty') {
        throw new UserError(`${source}: ${where} is empty; fill in the missing value or remove the row`);
      } else if (c.kind === 'nonfinite') {
        throw new UserError(`${source}: ${where} is '${cells[j]}', not a finite number (NaN/Inf); remove or impute those rows`);
      } else if (firstText[j] === undefined) {
        firstText[j] = { line: lineNo, cell: cells[j] };
      }
    }
  }

  let mixed: { line: number; cell: string; col: number } | undefined;
  for (let j = 0; j < width; j++) {
    const t = firstText[j];
    if (t && numericCount[j] > 0 && (!mixed || t.line < mixed.line)) mixed = { ...t, col: j + 1 };
  }
  if (mixed) {
    throw new UserError(
      `${source}: line ${mixed.line}, column ${mixed.col} ('${mixed.cell}') is text in a column of numbers; fix or remove that cell`,
    );
  }
  const keep = [...Array(width).keys()].filter((j) => numericCount[j] > 0);
  const dropped = [...Array(width).keys()].filter((j) => numericCount[j] === 0).map((j) => columns[j]);
  if (keep.length === 0) {
    throw new UserError(
      `${source}: no numeric columns (every column holds text: ${columns.join(', ')}); give at least one column of numbers`,
    );
  }
  const d = keep.length;
  let data = values;
  if (d !== width) {
    data = new Float32Array(n * d);
    for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) data[r * d + k] = values[r * width + keep[k]];
  }
  const table: ImportedTable = { data, n, d, columns: keep.map((j) => columns[j]), source };
  if (dropped.length) table.droppedColumns = dropped;
  return table;
}

/** Reads and parses a CSV file. */
export function readCsv(path: string, options: CsvOptions = {}): ImportedTable {
  const bytes = readRegularFile(path);
  let text: string;
  try {
    text = bytes.toString('utf8');
  } catch (e) {
    throw fileReadError(path, e);
  }
  return parseCsv(text, path, options);
}
