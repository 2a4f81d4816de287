/**
 * Images from an NPY file: [N, H, W] (gray) or [N, C, H, W] with C = 1 or 3, as uint8 levels
 * 0..255, or as float32/float64 in [0, 1] (levels k/255, read back as k = round(255 v); values
 * between levels are rounded to the nearest, since training dequantises 8-bit levels).
 * 2-D [n, d] point data stays with ../npyRead.ts; the header parser is shared.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../../../errors.js';
import { fileReadError } from '../fileErrors.js';
import { parseHeader } from '../npyRead.js';
import { type ImageDataset, checkImageDataset } from './imageDataset.js';
import { checkImageMemory } from './memoryLimit.js';

const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export interface NpyImageOptions {
  maxBytes?: number;
}

const shapeText = (s: number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/** [n, c, h, w] from the file's shape, or a one-line error with the shapes accepted. */
function imageDims(shape: number[], source: string): [number, number, number, number] {
  const accepted = 'image NPY files are [N, H, W] (gray) or [N, C, H, W] with C = 1 or 3';
  if (shape.length === 3) return [shape[0], 1, shape[1], shape[2]];
  if (shape.length === 4 && (shape[1] === 1 || shape[1] === 3)) return shape as [number, number, number, number];
  if (shape.length === 4 && (shape[3] === 1 || shape[3] === 3)) {
    throw new UserError(`${source}: array has shape ${shapeText(shape)}, channels last; ${accepted}: save np.transpose(a, (0, 3, 1, 2))`);
  }
  throw new UserError(`${source}: array has shape ${shapeText(shape)}, ${shape.length}-D; ${accepted} (2-D [n, d] files are point data)`);
}

export function decodeNpyImages(bytes: Uint8Array, source: string, options: NpyImageOptions = {}): ImageDataset {
  const header = parseHeader(bytes, source);
  const [n, c, h, w] = imageDims(header.shape, source);
  if (n < 1 || h < 1 || w < 1) throw new UserError(`${source}: array has shape ${shapeText(header.shape)}, no images; save at least one`);
  if (header.fortranOrder) throw new UserError(`${source}: array is in Fortran order; save np.ascontiguousarray(a)`);
  const dtype = /^([<>|=])([uf])(\d+)$/.exec(header.descr);
  const kind = dtype?.[2];
  const size = Number(dtype?.[3]);
  if (!dtype || !((kind === 'u' && size === 1) || (kind === 'f' && (size === 4 || size === 8)))) {
    throw new UserError(`${source}: dtype '${header.descr}' is not supported for images; save uint8 levels 0..255 or float32 in [0, 1]`);
  }
  checkImageMemory(source, n, c, h, w, options.maxBytes);
  const count = n * c * h * w;
  const available = bytes.length - header.dataOffset;
  if (available < count * size) {
    throw new UserError(`${source}: file is truncated: shape ${shapeText(header.shape)} needs ${count * size} data bytes but it holds ${available}; save it again`);
  }
  const pixels = new Uint8Array(count);
  if (size === 1) {
    pixels.set(bytes.subarray(header.dataOffset, header.dataOffset + count));
  } else {
    const order = dtype[1];
    const little = order === '<' || (order === '=' && HOST_LITTLE_ENDIAN);
    const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, count * size);
    for (let k = 0; k < count; k++) {
      const v = size === 4 ? view.getFloat32(4 * k, little) : view.getFloat64(8 * k, little);
      if (!(v >= 0 && v <= 1)) {
        const fix = v > 1 && v <= 255 ? 'it looks like 0..255: divide by 255 or save uint8' : 'scale the pixels to [0, 1]';
        throw new UserError(`${source}: value ${v} at image ${Math.floor(k / (c * h * w)) + 1} is outside [0, 1]; ${fix}`);
      }
      pixels[k] = Math.round(255 * v);
    }
  }
  return checkImageDataset({ name: basename(source), source, pixels, n, c, h, w });
}

export function readNpyImages(path: string, options: NpyImageOptions = {}): ImageDataset {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fileReadError(path, e);
  }
  return decodeNpyImages(bytes, path, options);
}
