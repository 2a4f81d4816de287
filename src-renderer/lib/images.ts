/**
 * Images as the flow sees them: flat rows of D = C H W floats in [-1, 1] (the data range the
 * engine dequantises pixels to), drawn as a grid into a canvas with one putImageData call.
 */
import { IMAGE_SAMPLER } from '../../src-main/api/schemas.js';

/** One image's shape [C, H, W]. */
export type ImageShape = readonly [number, number, number];

/**
 * The square image shape of rows of d values: gray when d is a square, RGB when d / 3 is; null
 * for 2-D points and other data. (Runs record their shape; square sides cover every dataset
 * the app offers, and a folder's images are scaled to squares.)
 */
export function imageShapeOf(d: number): ImageShape | null {
  if (d < 16) return null;
  const gray = Math.round(Math.sqrt(d));
  if (gray * gray === d) return [1, gray, gray];
  const rgb = Math.round(Math.sqrt(d / 3));
  return rgb * rgb * 3 === d ? [3, rgb, rgb] : null;
}

/** Columns of a near-square grid of n images. */
export function gridColumns(n: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(n)));
}

/**
 * Writes n images into RGBA pixels of a grid `cols` wide with `gap` pixels between images, each
 * pixel scaled by `scale`. Returns the grid's size. Plain loops over typed arrays: a 1,000-image
 * 28 x 28 grid is 0.8 M pixels.
 */
export function gridRgba(images: Float32Array, n: number, shape: ImageShape, cols: number, scale = 1, gap = 1): ImageData {
  // inside the function (not a module helper) so the browser benchmark can run its source alone
  const toByte = (v: number) => (v <= -1 ? 0 : v >= 1 ? 255 : ((v + 1) * 127.5) | 0);
  const [c, h, w] = shape;
  const rows = Math.max(1, Math.ceil(n / cols));
  const cw = w * scale + gap, ch = h * scale + gap;
  const width = cols * cw - gap, height = rows * ch - gap;
  const out = new ImageData(Math.max(1, width), Math.max(1, height));
  const px = out.data;
  px.fill(255);
  const plane = h * w, d = c * plane;
  for (let i = 0; i < n; i++) {
    const ox = (i % cols) * cw, oy = Math.floor(i / cols) * ch;
    const base = i * d;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const k = base + y * w + x;
        const r = toByte(images[k]);
        const g = c === 3 ? toByte(images[k + plane]) : r;
        const b = c === 3 ? toByte(images[k + 2 * plane]) : r;
        for (let sy = 0; sy < scale; sy++) {
          let at = ((oy + y * scale + sy) * width + ox + x * scale) * 4;
          for (let sx = 0; sx < scale; sx++, at += 4) {
            px[at] = r; px[at + 1] = g; px[at + 2] = b; px[at + 3] = 255;
          }
        }
      }
    }
  }
  return out;
}

/** Draws the grid into the canvas (resizing it); returns the time taken in ms. */
export function drawImageGrid(canvas: HTMLCanvasElement, images: Float32Array, n: number, shape: ImageShape, cols: number, scale = 1): number {
  const t0 = performance.now();
  const img = gridRgba(images, n, shape, cols, scale);
  if (canvas.width !== img.width) canvas.width = img.width;
  if (canvas.height !== img.height) canvas.height = img.height;
  canvas.getContext('2d')!.putImageData(img, 0, 0);
  return performance.now() - t0;
}

/** Which image of a grid a click at (x, y) canvas pixels hit, or null (a gap or past the last). */
export function imageAt(x: number, y: number, n: number, shape: ImageShape, cols: number, scale = 1, gap = 1): number | null {
  const cw = shape[2] * scale + gap, ch = shape[1] * scale + gap;
  const col = Math.floor(x / cw), row = Math.floor(y / ch);
  if (col < 0 || col >= cols || row < 0) return null;
  const i = row * cols + col;
  return i < n ? i : null;
}

/** Rows [n, D] as a NumPy .npy file of float32 [n, C, H, W]. */
export function imagesNpy(images: Float32Array, n: number, shape: ImageShape): Uint8Array {
  const header0 = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${shape[0]}, ${shape[1]}, ${shape[2]}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
  const pad = 64 - ((10 + header0.length + 1) % 64);
  const header = header0 + ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + n * shape[0] * shape[1] * shape[2] * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new Float32Array(n * shape[0] * shape[1] * shape[2]);
  body.set(images.subarray(0, body.length));
  out.set(new Uint8Array(body.buffer), 10 + header.length);
  return out;
}

/** Does a run's config train on images? (A U-Net always does; MNIST does with any net.) */
export function isImageConfig(config: unknown): boolean {
  const c = config as { net?: { kind?: string }; dataset?: string } | null | undefined;
  return c?.net?.kind === 'unet' || c?.dataset?.trim().toLowerCase() === 'mnist';
}

/** The eps an image run's samples are drawn with unless another is chosen: its own (`images.sdeEps`), else the image sampler's. */
export function imageSdeEps(config: unknown): number {
  const eps = (config as { images?: { sdeEps?: unknown } } | null | undefined)?.images?.sdeEps;
  return typeof eps === 'number' && Number.isFinite(eps) ? eps : IMAGE_SAMPLER.sdeEps;
}
