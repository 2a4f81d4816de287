/**
 * Learning-rate schedule, a pure function of the step: computed on the host for each step and fed
 * to the training program, and drawn by the renderer as a curve beside the loss:
 *   warmup:  lr (step + 1) / W              for step < W
 *   cosine:  lr (f + (1 - f) (1 + cos(pi p)) / 2),  p = (step - W) / (steps - W)   afterwards,
 *            f = lrFloor (0 when absent): the rate ends at f lr
 *   constant: lr after warmup.
 * Warmup is capped at a fifth of the run so short runs still train at full rate.
 */
import type { TrainConfig } from './config.js';

export const MAX_WARMUP_FRACTION = 0.2;

export function warmupSteps(c: Pick<TrainConfig, 'warmupSteps' | 'steps'>): number {
  return Math.min(c.warmupSteps, Math.floor(c.steps * MAX_WARMUP_FRACTION));
}

/** `lrFloor` may be absent: a config recorded before the option existed decayed to 0. */
export function learningRate(c: Pick<TrainConfig, 'lr' | 'warmupSteps' | 'steps' | 'schedule'> & { lrFloor?: number }, step: number): number {
  const w = warmupSteps(c);
  if (step < w) return (c.lr * (step + 1)) / w;
  if (c.schedule === 'constant') return c.lr;
  const p = Math.min(1, (step - w) / Math.max(1, c.steps - w));
  const f = c.lrFloor ?? 0;
  return c.lr * (f + ((1 - f) * (1 + Math.cos(Math.PI * p))) / 2);
}
