/**
 * Checkerboard: uniform density 1/32 on the 8 "black" squares of side 2 tiling [-4, 4]^2,
 * the squares where floor(x/2) + floor(y/2) is even (the cells [0,2)x[0,2), [-2,0)x[-2,0), ...).
 * This is the set FFJORD's `toy_data.py` draws from: x1 ~ U(-2, 2),
 * x2 = U(0, 1) - 2 B + (floor(x1) mod 2) with B ~ Bernoulli(1/2), point = 2 (x1, x2).
 *
 *   log rho(x, y) = -log 32 on a black square (half-open cells [2i, 2i+2) x [2j, 2j+2)), -Infinity elsewhere
 *   entropy       = log 32 = 3.4657 nats
 */
import { Rng } from '../../random.js';
import { dataStream } from '../streams.js';
import type { Points, Toy } from '../types.js';
import { PLOT_WINDOW } from './plotWindow.js';

/** Total black area: 8 squares of side 2. */
export const CHECKERBOARD_AREA = 32;
const HALF_WIDTH = 4;
const CELL = 2;

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Nearest float32 strictly inside (lo, hi) to v, so a stored sample never lands on a cell edge. */
function float32Inside(v: number, lo: number, hi: number): number {
  f32[0] = v;
  if (f32[0] <= lo) {
    f32[0] = lo;
    i32[0] += lo >= 0 ? 1 : -1;
  } else if (f32[0] >= hi) {
    f32[0] = hi;
    if (hi === 0) i32[0] = 0x80000001; // the negative float32 closest to 0
    else i32[0] += hi > 0 ? -1 : 1;
  }
  return f32[0];
}

function isBlack(x: number, y: number): boolean {
  if (!(x >= -HALF_WIDTH && x < HALF_WIDTH && y >= -HALF_WIDTH && y < HALF_WIDTH)) return false;
  return (Math.floor(x / CELL) + Math.floor(y / CELL)) % 2 === 0;
}

export const checkerboard: Toy = {
  name: 'checkerboard',
  title: 'Checkerboard',
  description: 'Uniform on 8 squares of a 4x4 checkerboard over [-4, 4]^2; exact density 1/32, entropy ln 32.',
  d: 2,
  bbox: PLOT_WINDOW,
  entropy: Math.log(CHECKERBOARD_AREA),
  sample(n: number, seed: number): Float32Array {
    const rng = new Rng(seed, dataStream('checkerboard'));
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const x1 = rng.uniform() * 4 - 2;
      const cellX = Math.floor(x1);
      const x2 = rng.uniform() - 2 * rng.int(2) + (((cellX % 2) + 2) % 2);
      const cellY = Math.floor(x2);
      out[2 * i] = float32Inside(2 * x1, CELL * cellX, CELL * (cellX + 1));
      out[2 * i + 1] = float32Inside(2 * x2, CELL * cellY, CELL * (cellY + 1));
    }
    return out;
  },
  logDensity(points: Points, n: number): Float64Array {
    const out = new Float64Array(n);
    const inside = -Math.log(CHECKERBOARD_AREA);
    for (let i = 0; i < n; i++) out[i] = isBlack(points[2 * i], points[2 * i + 1]) ? inside : -Infinity;
    return out;
  },
};
