/**
 * Heat maps of a per-pixel magnitude (the flow's speed |v(t, x_t)|): values in [0, vmax] mapped
 * through a perceptually ordered colour scale (viridis, sampled at 9 stops and interpolated
 * linearly), drawn as a grid of images like lib/images.ts draws samples, and its legend bar.
 */

/** Viridis at 9 even stops, dark purple (0) to yellow (1). */
const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

/** The colour of u in [0, 1] (clamped; NaN as 0) as [r, g, b] bytes. */
export function heatColor(u: number): [number, number, number] {
  const x = Number.isFinite(u) ? Math.min(1, Math.max(0, u)) : 0;
  const f = x * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(f));
  const w = f - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [Math.round(a[0] + w * (b[0] - a[0])), Math.round(a[1] + w * (b[1] - a[1])), Math.round(a[2] + w * (b[2] - a[2]))];
}

/** The largest value (0 for none): the top of a scale shared by every frame. */
export function maxOf(frames: readonly Float32Array[]): number {
  let m = 0;
  for (const f of frames) for (let i = 0; i < f.length; i++) if (f[i] > m) m = f[i];
  return m;
}

/**
 * RGBA pixels of n maps [n, h, w] in a grid `cols` wide, `gap` pixels apart (white), each pixel
 * `scale` times, coloured by value / vmax.
 */
export function heatRgba(values: Float32Array, n: number, h: number, w: number, vmax: number, cols: number, scale = 1, gap = 1): ImageData {
  const rows = Math.max(1, Math.ceil(n / cols));
  const cw = w * scale + gap, ch = h * scale + gap;
  const width = Math.max(1, cols * cw - gap), height = Math.max(1, rows * ch - gap);
  const out = new ImageData(width, height);
  out.data.fill(255);
  const inv = vmax > 0 ? 1 / vmax : 0;
  for (let i = 0; i < n; i++) {
    const ox = (i % cols) * cw, oy = Math.floor(i / cols) * ch;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [r, g, b] = heatColor(values[(i * h + y) * w + x] * inv);
        for (let sy = 0; sy < scale; sy++) {
          let at = ((oy + y * scale + sy) * width + ox + x * scale) * 4;
          for (let sx = 0; sx < scale; sx++, at += 4) {
            out.data[at] = r; out.data[at + 1] = g; out.data[at + 2] = b; out.data[at + 3] = 255;
          }
        }
      }
    }
  }
  return out;
}

/** A horizontal legend bar, 0 on the left to vmax on the right. */
export function legendRgba(width: number, height: number): ImageData {
  const out = new ImageData(width, height);
  for (let x = 0; x < width; x++) {
    const [r, g, b] = heatColor(width > 1 ? x / (width - 1) : 0);
    for (let y = 0; y < height; y++) {
      const at = (y * width + x) * 4;
      out.data[at] = r; out.data[at + 1] = g; out.data[at + 2] = b; out.data[at + 3] = 255;
    }
  }
  return out;
}

/** Puts pixels into a canvas, resizing it. */
export function putPixels(canvas: HTMLCanvasElement, img: ImageData): void {
  if (canvas.width !== img.width) canvas.width = img.width;
  if (canvas.height !== img.height) canvas.height = img.height;
  canvas.getContext('2d')!.putImageData(img, 0, 0);
}
