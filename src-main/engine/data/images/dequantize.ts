/**
 * Pixels to training values and back (SCIENCE.md section 7, "Images"):
 *
 *   x = 2 (k + u) / 256 - 1,   k in {0..255} the pixel level,  u ~ U[0, 1) one per pixel,
 *
 * so x lies in [-1, 1) and -log P(k) <= -log p_x(x) - D ln 2 + D ln 256, i.e.
 * bits/dim = NLL_x / (D ln 2) + 7 with NLL_x in nats of the [-1, 1]-scaled data.
 *
 * u comes from the counter-based generator (engine/random.ts): for a batch drawn at counter s
 * (the training step, or an evaluation pass), the value at batch position i, pixel j is
 *   u = bitsToUniform(hashBits(streamKey(seed, DEQUANTIZE_STREAM, s), i D + j)),
 * so a resumed run redraws the same noise and the in-graph generator can produce it too.
 */
import { UserError } from '../../../errors.js';
import { bitsToUniform, hashBits, streamKey } from '../../random.js';
import { dataStream } from '../streams.js';
import { type ImageDataset, imageSize } from './imageDataset.js';

/** Stream of the dequantisation noise, apart from every other stream a seed feeds. */
export const DEQUANTIZE_STREAM = dataStream('dequantize pixels');

/** Pixel levels per channel: 8-bit images. */
export const PIXEL_LEVELS = 256;

export interface DequantizeKey {
  seed: number;
  /** The draw's counter: the training step, or an evaluation pass number. */
  counter: number;
}

/**
 * Training values of the images at `rows` (in that order), float32 [rows.length, c, h, w]:
 * x = 2 (k + u)/256 - 1 with u from `key` (see the file comment).
 */
export function dequantizeRows(ds: ImageDataset, rows: ArrayLike<number>, key: DequantizeKey, out?: Float32Array): Float32Array {
  const d = imageSize(ds);
  const m = rows.length;
  const x = out ?? new Float32Array(m * d);
  if (x.length !== m * d) throw new UserError(`output holds ${x.length} values, not ${m} images of ${d}`);
  const k = streamKey(key.seed >>> 0, DEQUANTIZE_STREAM, key.counter >>> 0);
  const scale = 2 / PIXEL_LEVELS;
  for (let i = 0; i < m; i++) {
    const r = rows[i];
    if (!(Number.isInteger(r) && r >= 0 && r < ds.n)) throw new UserError(`image index ${r} is outside 0..${ds.n - 1}`);
    const src = r * d;
    const dst = i * d;
    for (let j = 0; j < d; j++) x[dst + j] = scale * (ds.pixels[src + j] + bitsToUniform(hashBits(k, dst + j))) - 1;
  }
  return x;
}

/** Every image's training values for one key: float32 [n, c, h, w] (held-out evaluation). */
export function dequantizeAll(ds: ImageDataset, key: DequantizeKey): Float32Array {
  const rows = new Uint32Array(ds.n);
  for (let i = 0; i < ds.n; i++) rows[i] = i;
  return dequantizeRows(ds, rows, key);
}

/** Pixel levels without noise, x = 2 (k + 1/2)/256 - 1 (the centre of each bin): for previews. */
export function pixelsToTraining(pixels: Uint8Array): Float32Array {
  const x = new Float32Array(pixels.length);
  for (let j = 0; j < pixels.length; j++) x[j] = (2 * pixels[j] + 1) / PIXEL_LEVELS - 1;
  return x;
}

/** Training scale to pixel scale for output: y = (x + 1)/2 clamped to [0, 1] (NPY and PNG output). */
export function toUnitScale(x: Float32Array): Float32Array {
  const y = new Float32Array(x.length);
  for (let j = 0; j < x.length; j++) y[j] = Math.min(1, Math.max(0, (x[j] + 1) / 2));
  return y;
}

/**
 * Training scale back to pixel levels: k = floor(256 (x + 1)/2) clamped to 0..255, the exact
 * inverse of the dequantisation (k + u)/256 for every u in [0, 1).
 */
export function toPixelLevels(x: Float32Array): Uint8Array {
  const k = new Uint8Array(x.length);
  for (let j = 0; j < x.length; j++) k[j] = Math.min(PIXEL_LEVELS - 1, Math.max(0, Math.floor((PIXEL_LEVELS * (x[j] + 1)) / 2)));
  return k;
}
