/**
 * A folder of PNG/JPEG images as a dataset: each image is scaled so its shorter side equals
 * `size` and its centre cropped to size x size (sharp's fit 'cover', Lanczos-3 resampling), then
 * made gray (1 channel) or RGB (3); transparency is flattened onto white. Any mix of sizes is fine.
 *
 * Layout: the images directly in the folder (no labels), or, when it holds none, one subfolder
 * per class (labels are the subfolders' indices in name order, as torchvision's ImageFolder).
 * Files are taken in name order, so a folder always gives the same dataset.
 *
 * Decoder: sharp (libvips), chosen by measurement (bench/README.md, "Image decoders").
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { UserError } from '../../../errors.js';
import { type ImageDataset, checkImageDataset } from './imageDataset.js';
import { checkImageMemory } from './memoryLimit.js';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];
/** Largest side we resize to: 256 x 256 RGB is already 196,608 values per image. */
export const MAX_IMAGE_SIDE = 256;
/** Files decoded at once: enough to keep libvips' threads busy, few enough to bound memory. */
const BATCH = 16;

export interface ImageFolderOptions {
  /** Side of the square output images, in pixels. */
  size: number;
  /** 1: gray, 3: RGB. */
  channels: 1 | 3;
  /** Refuse folders whose estimate exceeds this many bytes (default: memoryLimit.ts). */
  maxBytes?: number;
}

const isImage = (name: string) => IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());

function listFolder(dir: string): { files: string[]; labels?: Uint8Array; classNames?: string[] } {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: not a folder; give a folder of .png/.jpg images`);
    entries = readdirSync(dir).sort();
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${dir}: folder not found; check the path`);
    throw new UserError(`${dir}: cannot read the folder (${(e as Error).message}); check its permissions`);
  }
  const files = entries.filter(isImage).map((f) => join(dir, f));
  if (files.length > 0) return { files };
  // No images at the top: one subfolder per class.
  const classNames = entries.filter((e) => !e.startsWith('.') && statSync(join(dir, e)).isDirectory());
  const classFiles = classNames.map((c) => readdirSync(join(dir, c)).sort().filter(isImage).map((f) => join(dir, c, f)));
  const all = classFiles.flat();
  if (all.length === 0) {
    throw new UserError(`${dir}: no PNG or JPEG images (${IMAGE_EXTENSIONS.join(', ')}) in the folder or its subfolders; put the images in it`);
  }
  if (classNames.length > 256) throw new UserError(`${dir}: ${classNames.length} class subfolders; at most 256 are supported`);
  const labels = new Uint8Array(all.length);
  let at = 0;
  classFiles.forEach((list, k) => labels.fill(k, at, (at += list.length)));
  return { files: all, labels, classNames };
}

/** One file as [c, size, size] pixels written into `out` at `offset`. */
async function decodeInto(file: string, opts: ImageFolderOptions, out: Uint8Array, offset: number): Promise<void> {
  const { size, channels } = opts;
  let pipeline = sharp(file, { failOn: 'error' }).flatten({ background: '#ffffff' }).resize(size, size, { fit: 'cover', position: 'centre' });
  pipeline = channels === 1 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
  let data: Buffer;
  let info: OutputInfo;
  try {
    ({ data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true }));
  } catch (e) {
    const why = (e as Error).message.split('\n')[0].replace(/:\s*$/, '');
    throw new UserError(`${file}: cannot decode the image (${why}); replace or remove the file`);
  }
  if (info.width !== size || info.height !== size || info.channels !== channels) {
    throw new UserError(`${file}: decoded to ${info.width} x ${info.height} with ${info.channels} channels, not ${size} x ${size} x ${channels}`);
  }
  // sharp gives interleaved [h, w, c]; the dataset stores channel planes [c, h, w].
  const plane = size * size;
  if (channels === 1) out.set(data, offset);
  else for (let p = 0; p < plane; p++) for (let ch = 0; ch < channels; ch++) out[offset + ch * plane + p] = data[p * channels + ch];
}

export async function loadImageFolder(dir: string, opts: ImageFolderOptions): Promise<ImageDataset> {
  const { size, channels } = opts;
  if (!(Number.isInteger(size) && size >= 2 && size <= MAX_IMAGE_SIDE)) {
    throw new UserError(`image size must be a whole number of pixels from 2 to ${MAX_IMAGE_SIDE}, got ${size}`);
  }
  if (channels !== 1 && channels !== 3) throw new UserError(`channels must be 1 (gray) or 3 (RGB), got ${channels}`);
  const { files, labels, classNames } = listFolder(dir);
  const n = files.length;
  checkImageMemory(dir, n, channels, size, size, opts.maxBytes);
  const d = channels * size * size;
  const pixels = new Uint8Array(n * d);
  for (let start = 0; start < n; start += BATCH) {
    const batch = files.slice(start, start + BATCH);
    await Promise.all(batch.map((f, i) => decodeInto(f, opts, pixels, (start + i) * d)));
  }
  const ds: ImageDataset = { name: basename(dir), source: dir, pixels, n, c: channels, h: size, w: size };
  if (labels) ds.labels = labels;
  if (classNames) ds.classNames = classNames;
  return checkImageDataset(ds);
}
