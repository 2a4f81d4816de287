/**
 * User data files for the wizard. An upload is written into `<dataDir>/imports/` under a name
 * that carries a hash of its content (`points-3fa2b1c0d4e5.csv`), so re-importing a file of the
 * same name never replaces or deletes the file an earlier run trained on: new content gets a new
 * name, the same content the same one. The bytes land in a temporary file first and are renamed
 * into place only once the engine's importer (the same reader training uses) has parsed them, so
 * a bad file, a full disk or a crash leaves nothing half-written under a name a run could use.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, constants as fsConstants, open, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { UserError } from '../errors.js';
import { columnStats, decodeNpy, parseCsv, type ImportedTable } from '../engine/data/index.js';
import { readRegularFile } from '../engine/data/safeRead.js';
import { MAX_IMPORT_BYTES, type ColumnStats } from '../api/schemas.js';
import { makeFolders } from '../paths.js';
import { diskFullError } from './diskErrors.js';

/** Rows sent back for the import preview plot: enough to see the shape, small to send. */
export const IMPORT_PREVIEW_ROWS = 2000;
/** The folder inside the data folder that holds imported files. */
export const IMPORTS_FOLDER = 'imports';
/** Hex digits of the content hash in an imported file's name: 48 bits, no accidental collision. */
const HASH_DIGITS = 12;
/** Prefix of an import's bytes before they are checked (never a name a run can be given). */
const INCOMING_PREFIX = '.incoming-';

const ACCEPTED = ['.csv', '.npy'];

/** A file name safe to create in the imports folder: letters, digits, dot, dash, underscore. */
export function safeFileName(fileName: string): string {
  const base = basename(fileName).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return base || 'data';
}

/** Per-column mean, std, min and max, named by the file's header (or x0, x1, ...). */
export function namedColumnStats(table: ImportedTable): ColumnStats[] {
  return columnStats(table.data, table.n, table.d).map((s, j) => ({ name: table.columns[j] ?? `x${j}`, ...s }));
}

/** What the engine reports about a data file: its size, columns, first rows and content hash. */
export interface TableSummary {
  n: number;
  d: number;
  columns: ColumnStats[];
  preview: { n: number; d: number; data: Float32Array };
  sha256: string;
}

/**
 * Reads a CSV or NPY file with the engine's importer (only a regular file of bounded size; see
 * engine/data/safeRead.ts) and summarises it. Runs in an engine process, off the door's thread.
 */
export function summarizeTable(path: string, rows: number, stats = false): TableSummary {
  const bytes = readRegularFile(path);
  const table = extname(path).toLowerCase() === '.npy' ? decodeNpy(bytes, path) : parseCsv(bytes.toString('utf8'), path);
  const n = Math.min(rows, table.n);
  return {
    n: table.n,
    d: table.d,
    columns: stats ? namedColumnStats(table) : [],
    preview: { n, d: table.d, data: table.data.slice(0, n * table.d) },
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Summarises a file where it can be read without blocking a door (the CLI: in-process). */
export type Summarize = (path: string, rows: number, stats: boolean) => Promise<TableSummary>;

/** Writes bytes to a new file; a full disk removes the partial file and says so in one line. */
async function writeNewFile(path: string, bytes: Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(path, { force: true });
    throw diskFullError(err, path) ?? err;
  }
  await file.close();
}

/** An upload (the browser's bytes) into the imports folder. */
export async function importDataset(o: { dataDir: string; fileName: string; bytes: Uint8Array; summarize: Summarize }) {
  return importFile(o.dataDir, o.fileName, (incoming) => writeNewFile(incoming, o.bytes), o.summarize);
}

/**
 * A file the user picked in a file dialog (Electron) into the imports folder. Checked before it
 * is copied: only a regular file of the accepted type and size, so a pipe or a device picked by
 * mistake is refused instead of blocking or filling the disk.
 */
export async function importChosenFile(o: { dataDir: string; path: string; summarize: Summarize }) {
  checkExtension(o.path);
  let st;
  try {
    st = await stat(o.path);
  } catch (err) {
    throw new UserError(`${basename(o.path)}: cannot open it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose the file again`);
  }
  if (!st.isFile()) throw new UserError(`${basename(o.path)} is not a regular file; choose a .csv or .npy file`);
  if (st.size > MAX_IMPORT_BYTES) {
    throw new UserError(`${basename(o.path)} is ${Math.round(st.size / 2 ** 20)} MB, more than the ${MAX_IMPORT_BYTES / 2 ** 20} MB a data file may have; keep a random subset of its rows`);
  }
  return importFile(o.dataDir, o.path, async (incoming) => {
    try {
      await copyFile(o.path, incoming, fsConstants.COPYFILE_EXCL);
    } catch (err) {
      await rm(incoming, { force: true });
      throw diskFullError(err, incoming) ?? err;
    }
  }, o.summarize);
}

function checkExtension(fileName: string): string {
  const ext = extname(fileName).toLowerCase();
  if (!ACCEPTED.includes(ext)) {
    throw new UserError(`${basename(fileName)} is not a .csv or .npy file; export your data as CSV (one row per point) or NumPy .npy`);
  }
  return ext;
}

async function importFile(dataDir: string, fileName: string, write: (incoming: string) => Promise<void>, summarize: Summarize) {
  const ext = checkExtension(fileName);
  const dir = join(dataDir, IMPORTS_FOLDER);
  makeFolders(dir);
  const incoming = join(dir, `${INCOMING_PREFIX}${randomBytes(6).toString('hex')}${ext}`);
  await write(incoming);
  let summary: TableSummary;
  try {
    summary = await summarize(incoming, IMPORT_PREVIEW_ROWS, true);
  } catch (err) {
    await rm(incoming, { force: true });
    // Name the file as the user knows it, not by its copy in the data folder.
    if (err instanceof UserError || (err as Error)?.name === 'UserError') {
      throw new UserError((err as Error).message.replaceAll(incoming, basename(fileName)));
    }
    throw err;
  }
  const stem = safeFileName(fileName).slice(0, -ext.length) || 'data';
  const path = join(dir, `${stem}-${summary.sha256.slice(0, HASH_DIGITS)}${ext}`);
  // The same name means the same bytes: an existing copy stays as it is (a run may be reading it).
  if (existsSync(path)) await rm(incoming, { force: true });
  else await rename(incoming, path);
  return { path, n: summary.n, d: summary.d, columns: summary.columns, preview: summary.preview };
}
