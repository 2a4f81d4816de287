/** Seeded choices of rows: which rows to hold out, which to keep when subsampling. */
import { Rng } from '../random.js';

/** 2^24: the number of distinct values one uniform carries. */
const UNIFORM_STEPS = 16_777_216;

/**
 * Uniform integer in [0, m) from two uniforms (48 bits), so indices stay unbiased for m up to
 * millions: u = (floor(u1 2^24) + u2) / 2^24, index = floor(u m).
 */
export function randomIndex(rng: Rng, m: number): number {
  const u = (Math.floor(rng.uniform() * UNIFORM_STEPS) + rng.uniform()) / UNIFORM_STEPS;
  return Math.min(m - 1, Math.floor(u * m));
}

/** n rows of data [*, d] drawn uniformly with replacement (rng.int per row), row-major [n, d]. */
export function drawRows(data: Float32Array, rows: number, d: number, n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rng.int(rows);
    out.set(data.subarray(r * d, r * d + d), i * d);
  }
  return out;
}

/** A uniformly random set of k of the n rows, as a mask (partial Fisher-Yates shuffle). */
export function chooseRows(n: number, k: number, rng: Rng): Uint8Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const chosen = new Uint8Array(n);
  for (let i = 0; i < k; i++) {
    const j = i + randomIndex(rng, n - i);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
    chosen[order[i]] = 1;
  }
  return chosen;
}

/** The rows of data [n, d] whose mask entry equals `want`, in their original order. */
export function rowsWhere(data: Float32Array, d: number, mask: Uint8Array, want: 0 | 1): Float32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === want) count++;
  const out = new Float32Array(count * d);
  let r = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === want) out.set(data.subarray(i * d, (i + 1) * d), d * r++);
  }
  return out;
}
