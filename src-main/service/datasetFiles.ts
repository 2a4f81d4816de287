/**
 * User data files for the wizard: an upload is saved into `<dataDir>/imports/`, parsed by the
 * engine's importer (so what the preview shows is exactly what training will read), and
 * summarised per column.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { UserError } from '../errors.js';
import { columnStats, readCsv, readNpy, type ImportedTable } from '../engine/data/index.js';
import type { ColumnStats } from '../api/schemas.js';
import { makeFolders } from '../paths.js';

/** Rows sent back for the import preview plot: enough to see the shape, small to send. */
export const IMPORT_PREVIEW_ROWS = 2000;

const ACCEPTED = ['.csv', '.npy'];

/** A file name safe to create in the imports folder: letters, digits, dot, dash, underscore. */
export function safeFileName(fileName: string): string {
  const base = basename(fileName).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return base || 'data';
}

/** Reads a CSV or NPY file with the engine's importer (the same reader training uses). */
export function readTable(path: string): ImportedTable {
  return extname(path).toLowerCase() === '.npy' ? readNpy(path) : readCsv(path);
}

/** Per-column mean, std, min and max, named by the file's header (or x0, x1, ...). */
export function namedColumnStats(table: ImportedTable): ColumnStats[] {
  return columnStats(table.data, table.n, table.d).map((s, j) => ({ name: table.columns[j] ?? `x${j}`, ...s }));
}

export async function importDataset(dataDir: string, fileName: string, bytes: Uint8Array) {
  const ext = extname(fileName).toLowerCase();
  if (!ACCEPTED.includes(ext)) {
    throw new UserError(`${basename(fileName)} is not a .csv or .npy file; export your data as CSV (one row per point) or NumPy .npy`);
  }
  const dir = join(dataDir, 'imports');
  makeFolders(dir);
  const path = join(dir, safeFileName(fileName));
  writeFileSync(path, bytes);
  let table: ImportedTable;
  try {
    table = readTable(path);
  } catch (err) {
    rmSync(path, { force: true });
    // Name the file as the user knows it, not by its copy in the data folder.
    if (err instanceof UserError) throw new UserError(err.message.replaceAll(path, basename(fileName)));
    throw err;
  }
  const rows = Math.min(table.n, IMPORT_PREVIEW_ROWS);
  return {
    path,
    n: table.n,
    d: table.d,
    columns: namedColumnStats(table),
    preview: { n: rows, d: table.d, data: table.data.slice(0, rows * table.d) },
  };
}

/** The first n rows of an imported file, for the samples-vs-data plot. */
export async function previewDataset(path: string, n: number) {
  const table = readTable(path);
  const rows = Math.min(n, table.n);
  return { n: rows, d: table.d, data: table.data.slice(0, rows * table.d) };
}
