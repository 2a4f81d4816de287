/**
 * Images out of FlowLab: a PNG grid of samples, and NPY [n, C, H, W] float32. Both take pixel
 * scale [0, 1] (dequantize.ts: toUnitScale turns the training scale [-1, 1] into it).
 *
 * Grid layout: `columns` images per row, ceil(n / columns) rows, `gap` pixels of the gap colour
 * between neighbours (none around the edge), so a grid is columns w + (columns - 1) gap wide.
 * Pixel level = round(255 v) with v clamped to [0, 1].
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { UserError } from '../../../errors.js';
import { writeNpyArray } from '../npyWrite.js';

export type ImageShape = readonly [n: number, c: number, h: number, w: number];

export interface GridOptions {
  /** Images per row (default: ceil(sqrt(n)), a near-square grid). */
  columns?: number;
  /** Pixels between images (default 2). */
  gap?: number;
  /** Gap colour in [0, 1] (default 1: white). */
  gapValue?: number;
}

function checkImages(images: Float32Array, shape: ImageShape): void {
  const [n, c, h, w] = shape;
  if (!shape.every((k) => Number.isInteger(k) && k >= 1) || (c !== 1 && c !== 3) || images.length !== n * c * h * w) {
    throw new UserError(`${images.length} values do not make images of shape [${shape.join(', ')}] with 1 or 3 channels`);
  }
}

/** The grid as interleaved [height, width, c] uint8 pixels and its size. */
export function gridPixels(images: Float32Array, shape: ImageShape, options: GridOptions = {}): { data: Uint8Array; width: number; height: number; channels: number } {
  checkImages(images, shape);
  const [n, c, h, w] = shape;
  const columns = options.columns ?? Math.ceil(Math.sqrt(n));
  const gap = options.gap ?? 2;
  if (!(Number.isInteger(columns) && columns >= 1)) throw new UserError(`grid columns must be a whole number >= 1, got ${columns}`);
  if (!(Number.isInteger(gap) && gap >= 0 && gap <= 16)) throw new UserError(`grid gap must be a whole number of pixels from 0 to 16, got ${gap}`);
  const cols = Math.min(columns, n);
  const rows = Math.ceil(n / cols);
  const width = cols * w + (cols - 1) * gap;
  const height = rows * h + (rows - 1) * gap;
  const level = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  const data = new Uint8Array(width * height * c).fill(level(options.gapValue ?? 1));
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const x0 = (i % cols) * (w + gap);
    const y0 = Math.floor(i / cols) * (h + gap);
    const src = i * c * plane;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const dst = ((y0 + y) * width + x0 + x) * c;
        for (let ch = 0; ch < c; ch++) data[dst + ch] = level(images[src + ch * plane + y * w + x]);
      }
    }
  }
  return { data, width, height, channels: c };
}

/** The grid encoded as PNG bytes. */
export async function encodeImageGrid(images: Float32Array, shape: ImageShape, options: GridOptions = {}): Promise<Buffer> {
  const { data, width, height, channels } = gridPixels(images, shape, options);
  const image = sharp(data, { raw: { width, height, channels: channels as 1 | 3 } });
  // Without the colourspace, sharp writes one-channel input as a 3-channel sRGB PNG.
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}

/** Writes the grid to `path` as PNG. */
export async function writeImageGrid(path: string, images: Float32Array, shape: ImageShape, options: GridOptions = {}): Promise<void> {
  await writeFile(path, await encodeImageGrid(images, shape, options));
}

/** Writes images [n, c, h, w] in [0, 1] as NPY float32, loadable by numpy.load. */
export function writeImagesNpy(path: string, images: Float32Array, shape: ImageShape): void {
  checkImages(images, shape);
  writeNpyArray(path, images, shape);
}
