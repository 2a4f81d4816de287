/**
 * Axes for the canvas plots: "nice" tick values (1, 2 or 5 times a power of ten) and a frame
 * drawn around a plot area with tick marks, tick values and axis titles.
 */

/** Ticks wanted per axis: readable at 200-400 px without crowding. */
export const TICK_COUNT = 5;

/** Space around the plot area for tick values and titles, in CSS pixels. */
export const AXIS_MARGIN = { left: 46, right: 10, top: 8, bottom: 36 } as const;

/** Tick values covering [min, max], spaced by 1, 2 or 5 times a power of ten. */
export function niceTicks(min: number, max: number, count = TICK_COUNT): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) return [min];
  const raw = (max - min) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  // the nice spacing whose interval count comes closest to the one asked for
  let step = mag;
  for (const s of [1, 2, 5, 10].map((f) => f * mag)) {
    if (Math.abs((max - min) / s - (count - 1)) < Math.abs((max - min) / step - (count - 1))) step = s;
  }
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return ticks;
}

/** A tick value with as many decimals as its spacing needs ("0.25", "10", "-1.5"). */
export function formatTick(v: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(v) || 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

export interface AxisSpec {
  min: number;
  max: number;
  title: string;
}

export interface PlotFrame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Draws the frame, ticks, tick values and titles of a plot occupying `f` on the canvas. */
export function drawAxes(ctx: CanvasRenderingContext2D, f: PlotFrame, x: AxisSpec, y: AxisSpec, color: { line: string; text: string }): void {
  ctx.save();
  ctx.strokeStyle = color.line;
  ctx.fillStyle = color.text;
  ctx.lineWidth = 1;
  ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.width - 1, f.height - 1);
  ctx.font = '11px system-ui, sans-serif';
  const xt = niceTicks(x.min, x.max);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.beginPath();
  for (const v of xt) {
    const px = Math.round(f.left + ((v - x.min) / (x.max - x.min)) * f.width) + 0.5;
    ctx.moveTo(px, f.top + f.height);
    ctx.lineTo(px, f.top + f.height + 4);
    ctx.fillText(formatTick(v, xt), px, f.top + f.height + 6);
  }
  const yt = niceTicks(y.min, y.max);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of yt) {
    const py = Math.round(f.top + ((y.max - v) / (y.max - y.min)) * f.height) + 0.5;
    ctx.moveTo(f.left - 4, py);
    ctx.lineTo(f.left, py);
    ctx.fillText(formatTick(v, yt), f.left - 6, py);
  }
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(x.title, f.left + f.width / 2, f.top + f.height + 34);
  ctx.translate(11, f.top + f.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(y.title, 0, 0);
  ctx.restore();
}
