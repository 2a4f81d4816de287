/**
 * The run page's training curves beyond the recorded loss: the learning rate (a pure function of
 * the step, computed from the config), a series re-indexed by training time instead of step, and
 * all curves as one CSV table.
 */
import { learningRate } from '../../../src-main/api/lrSchedule.js';
import type { TrainConfig } from '../../../src-main/api/config.js';
import type { SeriesData } from './types.js';

export type LrSchedule = Pick<TrainConfig, 'lr' | 'warmupSteps' | 'steps' | 'schedule' | 'lrFloor'>;

/** The learning rate at each step of `steps`. */
export function lrSeries(train: LrSchedule, steps: SeriesData): SeriesData {
  const x = steps.x.slice(0, steps.length);
  const y = new Float64Array(steps.length);
  for (let i = 0; i < steps.length; i++) y[i] = learningRate(train, x[i]);
  return { x, y, length: steps.length };
}

/**
 * Training seconds at each step, linear between the recorded chunk ends (`wall`: step ->
 * seconds at the end of that step; before the first, time 0 at step -1). Steps after the last
 * recorded time have none yet: NaN.
 */
export function secondsAt(wall: SeriesData, steps: ArrayLike<number>, length = steps.length): Float64Array {
  const out = new Float64Array(length);
  let j = 0;
  let prevStep = -1, prevT = 0;
  for (let i = 0; i < length; i++) {
    const s = steps[i];
    while (j < wall.length && wall.x[j] < s) {
      prevStep = wall.x[j];
      prevT = wall.y[j];
      j++;
    }
    if (j >= wall.length) {
      out[i] = s === prevStep ? prevT : Number.NaN;
      continue;
    }
    const t = (s - prevStep) / Math.max(1e-9, wall.x[j] - prevStep);
    out[i] = prevT + t * (wall.y[j] - prevT);
  }
  return out;
}

/** The series with x replaced by training seconds; points without a recorded time are left off. */
export function byTrainingTime(series: SeriesData, wall: SeriesData): SeriesData {
  const t = secondsAt(wall, series.x, series.length);
  let n = 0;
  while (n < t.length && Number.isFinite(t[n])) n++;
  return { x: t.subarray(0, n), y: series.y.subarray(0, n), length: n };
}

/** step, training seconds, loss, gradient norm, learning rate: one row per recorded loss step. */
export function curvesCsv(loss: SeriesData, gradNorm: SeriesData, wall: SeriesData, train: LrSchedule | null): string {
  const t = secondsAt(wall, loss.x, loss.length);
  const rows = ['step,seconds,loss,grad_norm,lr'];
  let g = 0;
  for (let i = 0; i < loss.length; i++) {
    const step = loss.x[i];
    while (g < gradNorm.length && gradNorm.x[g] < step) g++;
    const gn = g < gradNorm.length && gradNorm.x[g] === step ? gradNorm.y[g] : Number.NaN;
    rows.push([step, t[i], loss.y[i], gn, train ? learningRate(train, step) : Number.NaN].map(cell).join(','));
  }
  return rows.join('\n') + '\n';
}

function cell(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

/** Mean of the finite values at the last `steps` steps (x > lastX - steps); null if none. */
export function meanOfLastSteps(s: SeriesData, steps: number): number | null {
  if (s.length === 0) return null;
  const from = s.x[s.length - 1] - steps;
  let sum = 0, count = 0;
  for (let i = s.length - 1; i >= 0 && s.x[i] > from; i--) {
    if (!Number.isFinite(s.y[i])) continue;
    sum += s.y[i];
    count++;
  }
  return count ? sum / count : null;
}
