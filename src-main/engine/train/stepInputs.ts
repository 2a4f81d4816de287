/**
 * What the host computes for each step of a chunk, so the training program does only tensor
 * work (float64 on the host, then float32; deterministic, and a resumed run recomputes exactly
 * the same values):
 *   keys[k]      the random key of step s = from + k: streamKey(seed, TRAIN_STREAM, s)
 *   sched[k, :]  alpha    = lr_s sqrt(1 - b2^(s+1)) / (1 - b1^(s+1))   (Adam step with bias correction)
 *                epsHat   = eps sqrt(1 - b2^(s+1))                      (so alpha m / (sqrt v + epsHat)
 *                                                                        = lr mhat / (sqrt vhat + eps))
 *                emaRate  = 1 - min(decay, (1 + s) / (10 + s))          (EMA with warm-up)
 *                shrink   = 1 - lr_s wd                                  (AdamW's decoupled decay; 1 for Adam)
 */
import type { TrainConfig } from '../../api/config.js';
import { streamKey } from '../random.js';
import { learningRate } from './schedule.js';

/** The random stream of training draws (every step's batch comes from key(seed, TRAIN_STREAM, step)). */
export const TRAIN_STREAM = 1;
/** EMA warm-up: decay_s = min(decay, (1 + s) / (EMA_WARMUP + s)), so early averages follow the weights. */
export const EMA_WARMUP = 10;
export const SCHED = { alpha: 0, epsHat: 1, emaRate: 2, shrink: 3 } as const;
export const SCHED_COLUMNS = 4;

export function stepKeys(seed: number, from: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let k = 0; k < count; k++) out[k] = streamKey(seed >>> 0, TRAIN_STREAM, (from + k) >>> 0);
  return out;
}

export function stepSchedule(c: TrainConfig, from: number, count: number): Float32Array {
  const out = new Float32Array(count * SCHED_COLUMNS);
  for (let k = 0; k < count; k++) {
    const s = from + k;
    const lr = learningRate(c, s);
    const sbc2 = Math.sqrt(1 - c.beta2 ** (s + 1));
    const bc1 = 1 - c.beta1 ** (s + 1);
    const row = k * SCHED_COLUMNS;
    out[row + SCHED.alpha] = (lr * sbc2) / bc1;
    out[row + SCHED.epsHat] = c.eps * sbc2;
    out[row + SCHED.emaRate] = 1 - Math.min(c.emaDecay, (1 + s) / (EMA_WARMUP + s));
    out[row + SCHED.shrink] = c.optimizer === 'adamw' ? 1 - lr * c.weightDecay : 1;
  }
  return out;
}
