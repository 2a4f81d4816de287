/**
 * Point clouds drawn straight into an RGBA pixel buffer (canvas ImageData viewed as Uint32):
 * one array write per point, so 100k points draw in a few milliseconds, far below what
 * per-point canvas paths cost. Pure functions over plain arrays; the component blits the buffer.
 */
export interface Window2D {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Margin around the data's extent, as a fraction of its span, so edge points are visible. */
export const WINDOW_MARGIN = 0.05;

/**
 * A square-aspect window holding the first two coordinates of every finite point of each cloud
 * (equal units on both axes, so circles look round).
 */
export function windowOf(clouds: { data: ArrayLike<number>; n: number; d: number }[]): Window2D {
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (const { data, n, d } of clouds) {
    for (let i = 0; i < n; i++) {
      const x = data[i * d];
      const y = d > 1 ? data[i * d + 1] : 0;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  }
  if (!Number.isFinite(xMin)) return { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };
  const half = Math.max(xMax - xMin, yMax - yMin, 1e-6) * (0.5 + WINDOW_MARGIN);
  const cx = (xMin + xMax) / 2;
  const cy = (yMin + yMax) / 2;
  return { xMin: cx - half, xMax: cx + half, yMin: cy - half, yMax: cy + half };
}

/** Pixel column and row of a point; y grows upward in data, downward on screen. */
export function toPixel(w: Window2D, width: number, height: number, x: number, y: number): [number, number] {
  const px = Math.floor(((x - w.xMin) / (w.xMax - w.xMin)) * width);
  const py = Math.floor(((w.yMax - y) / (w.yMax - w.yMin)) * height);
  return [px, py];
}

/** Packs a colour for a little-endian Uint32 view of RGBA bytes. */
export function rgba(r: number, g: number, b: number, a = 255): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/**
 * Writes each point as a size x size square of `color`; points outside the window are skipped.
 * Returns how many points were drawn.
 */
export function drawPoints(
  pixels: Uint32Array, width: number, height: number, w: Window2D,
  data: ArrayLike<number>, n: number, d: number, color: number, size = 2,
): number {
  const sx = width / (w.xMax - w.xMin);
  const sy = height / (w.yMax - w.yMin);
  let drawn = 0;
  for (let i = 0; i < n; i++) {
    const px = Math.floor((data[i * d] - w.xMin) * sx);
    const py = Math.floor((w.yMax - (d > 1 ? data[i * d + 1] : 0)) * sy);
    if (!(px >= 0 && px < width && py >= 0 && py < height)) continue;
    drawn++;
    for (let dy = 0; dy < size && py + dy < height; dy++) {
      const row = (py + dy) * width;
      for (let dx = 0; dx < size && px + dx < width; dx++) pixels[row + px + dx] = color;
    }
  }
  return drawn;
}

/** Counts of points in a gx x gy grid over the window (row 0 at the top), for a density map. */
export function histogram2d(data: ArrayLike<number>, n: number, d: number, w: Window2D, gx: number, gy: number): Float32Array {
  const counts = new Float32Array(gx * gy);
  for (let i = 0; i < n; i++) {
    const cx = Math.floor(((data[i * d] - w.xMin) / (w.xMax - w.xMin)) * gx);
    const cy = Math.floor(((w.yMax - (d > 1 ? data[i * d + 1] : 0)) / (w.yMax - w.yMin)) * gy);
    if (cx >= 0 && cx < gx && cy >= 0 && cy < gy) counts[cy * gx + cx]++;
  }
  return counts;
}

/**
 * Paints a histogram as a heat map filling the buffer: intensity log(1 + c) / log(1 + max),
 * so sparse tails stay visible next to dense modes; empty cells stay transparent.
 */
export function paintDensity(pixels: Uint32Array, width: number, height: number, counts: Float32Array, gx: number, gy: number, rgb: [number, number, number]): void {
  let max = 0;
  for (const c of counts) if (c > max) max = c;
  const norm = max > 0 ? 1 / Math.log1p(max) : 0;
  for (let py = 0; py < height; py++) {
    const cy = Math.floor((py * gy) / height);
    for (let px = 0; px < width; px++) {
      const c = counts[cy * gx + Math.floor((px * gx) / width)];
      if (c === 0) continue;
      const a = Math.round(40 + 215 * Math.log1p(c) * norm);
      pixels[py * width + px] = rgba(rgb[0], rgb[1], rgb[2], a);
    }
  }
}
