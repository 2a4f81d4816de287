/**
 * Writes float32 (and uint8) arrays ([n, d], or any shape) as NPY 1.0 files byte for byte as numpy.save does: header
 * {'descr': '<f4', 'fortran_order': False, 'shape': (n, d), } plus numpy's growth spaces, padded
 * with spaces and '\n' so the data starts at a multiple of 64 bytes, then the values little-endian.
 */
import { writeFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { checkShape } from './arrayShape.js';
import { NPY_ALIGN, NPY_GROWTH_AXIS_MAX_DIGITS, NPY_MAGIC } from './npyFormat.js';

/** Magic (6) + version (2) + uint16 header length (2). */
const V1_PREFIX_BYTES = 10;

/** The NPY 1.0 bytes of a row-major float32 [n, d] array. */
export function encodeNpy(data: Float32Array, n: number, d: number): Buffer {
  checkShape(data, n, d);
  return encodeNpyArray(data, [n, d]);
}

/**
 * The NPY 1.0 bytes of a row-major (C-order) float32 (or uint8: pixel levels) array of any shape,
 * e.g. a trajectory [steps + 1, n, d]; numpy pads the header for the first axis to grow.
 */
export function encodeNpyArray(data: Float32Array | Uint8Array, shape: readonly number[]): Buffer {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0 || !shape.every((k) => Number.isInteger(k) && k >= 0) || size !== data.length) {
    throw new UserError(`array has ${data.length} values, which does not fill the shape [${shape.join(', ')}]`);
  }
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const bytes = data instanceof Uint8Array ? 1 : 4;
  let dict = `{'descr': '${bytes === 1 ? '|u1' : '<f4'}', 'fortran_order': False, 'shape': (${dims}), }`;
  dict += ' '.repeat(Math.max(0, NPY_GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const withNewline = dict.length + 1;
  // numpy pads by a full NPY_ALIGN when already aligned; we match it byte for byte.
  const pad = NPY_ALIGN - ((V1_PREFIX_BYTES + withNewline) % NPY_ALIGN);
  const header = dict + ' '.repeat(pad) + '\n';
  const headerBytes = V1_PREFIX_BYTES + header.length;
  const out = Buffer.alloc(headerBytes + bytes * data.length);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, V1_PREFIX_BYTES, 'latin1');
  if (data instanceof Uint8Array) out.set(data, headerBytes);
  else for (let k = 0; k < data.length; k++) out.writeFloatLE(data[k], headerBytes + 4 * k);
  return out;
}

/** Writes a row-major float32 [n, d] array to `path` as NPY 1.0 (loadable by numpy.load). */
export function writeNpy(path: string, data: Float32Array, n: number, d: number): void {
  writeFileSync(path, encodeNpy(data, n, d));
}

/** Writes a row-major float32 (or uint8) array of any shape to `path` as NPY 1.0. */
export function writeNpyArray(path: string, data: Float32Array | Uint8Array, shape: readonly number[]): void {
  writeFileSync(path, encodeNpyArray(data, shape));
}
