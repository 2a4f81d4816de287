/**
 * What a pretrained model's manifest carries besides its weights, so an imported model reads as
 * the run it was: the training curves (downsampled), a small set of its samples, and when it was
 * measured. Written by scripts/buildPretrained.ts, read by pretrained.import.
 */
import type { MetricSeries } from '../store/index.js';

/** Points kept per curve: the shape of a 20,000-step curve at a few kilobytes of JSON. */
export const CURVE_POINTS = 400;
/** Samples shipped per model: enough to show the shape, small enough to read in the manifest. */
export const SHIPPED_SAMPLES = 1000;
/** Significant digits kept in shipped numbers: far below what a plot can show. */
const DIGITS = 5;

/** Curves by metric name ('loss', 'grad_norm', 'wall_s'), each sampled at the shared `step`s. */
export interface ShippedCurves {
  step: number[];
  series: Record<string, number[]>;
}

export interface ShippedSamples {
  n: number;
  d: number;
  /** Row-major n x d. */
  data: number[];
  solver: string;
  steps: number;
}

/** Images shipped per image model: a 4 x 4 gallery's worth and more, as pixel levels. */
export const SHIPPED_IMAGES = 64;

/** An image model's samples as 8-bit pixel levels 0..255, row-major [n, C, H, W]: a quarter of float text. */
export interface ShippedImageSamples {
  n: number;
  /** One image's shape [C, H, W]. */
  shape: number[];
  pixels: number[];
  solver: string;
  steps: number;
  /** The SDE sampler's eps (em, sde-heun), absent for an ODE solver. */
  sdeEps?: number;
  /** The noise seed they were drawn from. */
  seed: number;
}

/** Training-scale images [-1, 1] to pixel levels: k = round((x + 1) 127.5), clipped to 0..255. */
export function toPixelLevels(x: Float32Array): number[] {
  return Array.from(x, (v) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5))));
}

/** Pixel levels back to the training scale: x = k / 127.5 - 1 (0 and 255 give -1 and 1 exactly). */
export function fromPixelLevels(pixels: readonly number[]): Float32Array {
  return Float32Array.from(pixels, (k) => k / 127.5 - 1);
}

export function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(DIGITS)) : v;
}

/**
 * Bins consecutive steps into at most `points` bins; each bin gives its last step and, per
 * metric, the mean of its values (a windowed mean keeps the curve's level where plain
 * subsampling would keep one noisy minibatch loss). `wall_s` is cumulative, so its bins keep
 * the last value instead.
 */
export function downsampleCurves(series: Record<string, MetricSeries>, points = CURVE_POINTS): ShippedCurves {
  const base = series.loss ?? Object.values(series)[0];
  const total = base?.steps.length ?? 0;
  const bin = Math.max(1, Math.ceil(total / points));
  const out: ShippedCurves = { step: [], series: {} };
  for (const name of Object.keys(series)) out.series[name] = [];
  for (let start = 0; start < total; start += bin) {
    const end = Math.min(total, start + bin);
    const lastStep = base.steps[end - 1];
    out.step.push(lastStep);
    for (const [name, s] of Object.entries(series)) {
      out.series[name].push(round(name === 'wall_s' ? lastAtOrBefore(s, lastStep) : meanBetween(s, base.steps[start], lastStep)));
    }
  }
  return out;
}

function meanBetween(s: MetricSeries, from: number, to: number): number {
  let sum = 0, count = 0;
  for (let i = 0; i < s.steps.length; i++) {
    if (s.steps[i] < from || s.steps[i] > to || !Number.isFinite(s.values[i])) continue;
    sum += s.values[i];
    count++;
  }
  return count ? sum / count : Number.NaN;
}

function lastAtOrBefore(s: MetricSeries, step: number): number {
  let v = Number.NaN;
  for (let i = 0; i < s.steps.length && s.steps[i] <= step; i++) v = s.values[i];
  return v;
}
