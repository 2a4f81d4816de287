/**
 * The velocity field as arrows: a regular grid of points over the window, and the segments
 * that draw v at each, scaled so the longest arrow spans most of one grid cell.
 */
import type { Window2D } from './scatter.js';

/** Fraction of a grid cell the longest arrow covers: long enough to read, short enough not to overlap. */
export const ARROW_CELL_FRACTION = 0.9;

/** Cell centres of a k x k grid over the window, row-major, as [x0, y0, x1, y1, ...]. */
export function gridPoints(w: Window2D, k: number): Float32Array {
  const out = new Float32Array(k * k * 2);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const i = r * k + c;
      out[2 * i] = w.xMin + ((c + 0.5) / k) * (w.xMax - w.xMin);
      out[2 * i + 1] = w.yMin + ((r + 0.5) / k) * (w.yMax - w.yMin);
    }
  }
  return out;
}

/** Segments [x, y, x + s vx, y + s vy] with one scale s for all arrows; zero field -> zero length. */
export function arrowSegments(points: Float32Array, v: Float32Array, n: number, cell: number): Float32Array {
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, Math.hypot(v[2 * i], v[2 * i + 1]));
  const s = longest > 0 ? (ARROW_CELL_FRACTION * cell) / longest : 0;
  const out = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    out[4 * i] = points[2 * i];
    out[4 * i + 1] = points[2 * i + 1];
    out[4 * i + 2] = points[2 * i] + s * v[2 * i];
    out[4 * i + 3] = points[2 * i + 1] + s * v[2 * i + 1];
  }
  return out;
}
