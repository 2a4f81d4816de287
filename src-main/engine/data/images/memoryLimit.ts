/**
 * How many image bytes we agree to load: the pixels (1 byte per value) plus one float32 copy of
 * every image (4 bytes per value: held-out evaluation dequantises the whole set) must fit in a
 * quarter of the machine's memory, leaving the rest to the training program and the app.
 */
import { totalmem } from 'node:os';
import { UserError } from '../../../errors.js';

/** Bytes per pixel value while training: the uint8 pixel plus a float32 copy. */
export const BYTES_PER_VALUE = 5;

export function defaultImageMemoryLimit(): number {
  return Math.floor(totalmem() / 4);
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(bytes < 1e10 ? 2 : 0)} GB`;
}

/** Throws a UserError with the estimate when n images of [c, h, w] would need more than `limit` bytes. */
export function checkImageMemory(source: string, n: number, c: number, h: number, w: number, limit = defaultImageMemoryLimit()): void {
  const estimate = n * c * h * w * BYTES_PER_VALUE;
  if (estimate > limit) {
    throw new UserError(
      `${source}: ${n.toLocaleString('en-US')} images of ${c} x ${h} x ${w} need about ${gigabytes(estimate)} ` +
        `(${BYTES_PER_VALUE} bytes per value), more than the ${gigabytes(limit)} allowed (a quarter of this machine's memory); ` +
        `choose a smaller image size or fewer images`,
    );
  }
}
