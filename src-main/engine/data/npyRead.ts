/**
 * Reads a 2-D float32 or float64 NPY array (format in `npyFormat.ts`) into a float32 table.
 * Little- and big-endian floats are read; Fortran (column-major) order is transposed to rows.
 * Everything else (integer dtypes, other ranks, NaN/Inf) is refused with the fix.
 */
import { UserError } from '../../errors.js';
import { readRegularFile } from './safeRead.js';
import { NPY_MAGIC, dtypeName } from './npyFormat.js';
import { MAX_ROWS, checkRowCount } from './tableLimits.js';
import type { ImportedTable } from './types.js';

export interface NpyOptions {
  /** Row limit (default MAX_ROWS). */
  maxRows?: number;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

export function parseHeader(bytes: Uint8Array, source: string): NpyHeader {
  const bad = (why: string) => new UserError(`${source}: not a valid NPY file (${why}); save the array with numpy.save`);
  if (bytes.length < 10 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) throw bad('missing the \\x93NUMPY magic bytes');
  const major = bytes[6];
  const minor = bytes[7];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start: number;
  let length: number;
  if (major === 1) {
    start = 10;
    length = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw bad('header cut short');
    start = 12;
    length = view.getUint32(8, true);
  } else {
    throw new UserError(`${source}: NPY format version ${major}.${minor} is not supported (1.0, 2.0, 3.0 are); save it with numpy.save`);
  }
  if (start + length > bytes.length) throw bad('header cut short');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + length));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  if (!descr) {
    if (/'descr'\s*:\s*\[/.test(text)) {
      throw new UserError(`${source}: structured (record) arrays are not supported; save a plain 2-D float array, e.g. np.column_stack of the fields`);
    }
    throw bad("no 'descr' in the header");
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!fortran || !shape) throw bad("no 'fortran_order' or 'shape' in the header");
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (dims.some((k) => !Number.isInteger(k) || k < 0)) throw bad(`shape (${shape[1]}) is not a tuple of sizes`);
  return { descr: descr[1], fortranOrder: fortran[1] === 'True', shape: dims, dataOffset: start + length };
}

function shapeText(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Decodes NPY bytes; `source` names the file in errors. */
export function decodeNpy(bytes: Uint8Array, source: string, options: NpyOptions = {}): ImportedTable {
  const header = parseHeader(bytes, source);
  const dtype = /^([<>|=])([a-zA-Z])(\d+)$/.exec(header.descr);
  if (!dtype) {
    throw new UserError(`${source}: dtype '${header.descr}' is not supported; save float32 or float64, e.g. np.save(path, a.astype(np.float32))`);
  }
  const [, order, kind, sizeText] = dtype;
  const size = Number(sizeText);
  if (kind !== 'f' || (size !== 4 && size !== 8)) {
    throw new UserError(
      `${source}: dtype ${dtypeName(kind, size)} ('${header.descr}') is not supported; save float32 or float64, e.g. np.save(path, a.astype(np.float32))`,
    );
  }
  const little = order === '<' || (order === '=' && HOST_LITTLE_ENDIAN) || order === '|';
  const { shape } = header;
  if (shape.length !== 2) {
    const fix = shape.length === 1 ? 'a.reshape(-1, 1) for one column' : 'a.reshape(len(a), -1) to flatten each row';
    throw new UserError(
      `${source}: array has shape ${shapeText(shape)}, ${shape.length}-D; FlowLab needs a 2-D array [rows, columns]: save ${fix}`,
    );
  }
  const [n, d] = shape;
  if (n > 0 && d === 0) throw new UserError(`${source}: array has shape ${shapeText(shape)}, no columns; save an array with at least one column`);
  checkRowCount(n, source, options.maxRows ?? MAX_ROWS);
  const count = n * d;
  const needed = count * size;
  const available = bytes.length - header.dataOffset;
  if (available < needed) {
    throw new UserError(
      `${source}: file is truncated: shape ${shapeText(shape)} of float${size * 8} needs ${needed} data bytes but it holds ${available}; save it again`,
    );
  }

  const data = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, needed);
  // Row-major element k = (k div d, k mod d) is file element k in C order, (k mod d) n + k div d in Fortran order.
  const fileIndex = (k: number) => (header.fortranOrder ? (k % d) * n + Math.floor(k / d) : k);
  const read = (k: number) => (size === 4 ? view.getFloat32(4 * fileIndex(k), little) : view.getFloat64(8 * fileIndex(k), little));
  if (size === 4 && little && HOST_LITTLE_ENDIAN && !header.fortranOrder) {
    new Uint8Array(data.buffer).set(bytes.subarray(header.dataOffset, header.dataOffset + needed));
  } else {
    for (let k = 0; k < count; k++) data[k] = read(k);
  }
  for (let k = 0; k < count; k++) {
    if (!Number.isFinite(data[k])) {
      const where = `row ${Math.floor(k / d) + 1}, column ${(k % d) + 1}`;
      const original = read(k);
      if (Number.isFinite(original)) {
        throw new UserError(`${source}: ${where} is ${original}, too large for float32 (max 3.4e38); rescale that column`);
      }
      throw new UserError(`${source}: ${where} is ${original}, not a finite number (NaN/Inf); remove or impute those rows`);
    }
  }
  return { data, n, d, columns: Array.from({ length: d }, (_, j) => `x${j + 1}`), source };
}

/** Reads and decodes an NPY file. */
export function readNpy(path: string, options: NpyOptions = {}): ImportedTable {
  return decodeNpy(readRegularFile(path), path, options);
}
