/**
 * One optimizer step as graph code, shared by every training program (MLP and image nets), so
 * each applies the same weight decay, clipping, Adam and EMA to its flat parameter vector:
 *   g += wd p (Adam's coupled decay),  |g| = sqrt(sum g^2),  c = min(clip / (|g| + CLIP_EPS), 1),
 *   then Adam (below) with c folded into its scalars, then ema += (p - ema) emaRate_s.
 * The per-step scalars (alpha, epsHat, shrink, emaRate) are rows of `sched` (stepInputs.ts).
 */
import type { TrainConfig } from '../../api/config.js';
import type { Graph, Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { SCHED } from './stepInputs.js';

/** Added to the gradient norm before dividing, so a zero gradient never divides by zero. */
const CLIP_EPS = 1e-6;

export type OptimizerSpec = Pick<TrainConfig, 'optimizer' | 'beta1' | 'beta2' | 'eps' | 'weightDecay' | 'clipNorm' | 'emaDecay'>;

/** The state [p, m, v, ema] after one step on the flat gradient `gflat`, and the gradient's norm. */
export function optimizerStep(optim: OptimizerSpec, b: Graph, sched: Value, iter: Value, [p, m, v, ema]: Value[], gradient: Value): { state: Value[]; gnorm: Value } {
  let gflat = gradient;
  if (optim.optimizer === 'adam' && optim.weightDecay > 0) gflat = op.add(gflat, op.mul(p, optim.weightDecay));
  const gnorm = op.sqrt(op.reduceSumSquare(gflat));
  // the clipping factor rides on Adam's scalars instead of a pass over the gradient
  const scale = optim.clipNorm > 0 ? op.minimum(op.div(optim.clipNorm, op.add(gnorm, CLIP_EPS)), 1) : null;
  const row = op.gather(sched, iter);
  const col = (k: number) => op.gather(row, b.scalar(k, 'int64'));
  const [m2, v2, p2] = adamUpdate(optim, col(SCHED.alpha), col(SCHED.epsHat), col(SCHED.shrink), p, m, v, gflat, scale);
  const ema2 = op.add(ema, op.mul(op.sub(p2, ema), col(SCHED.emaRate)));
  return { state: [p2, m2, v2, ema2], gnorm };
}

/**
 * Adam with the bias correction folded into host scalars (stepInputs.ts):
 *   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2,  p = shrink p - alpha m / (sqrt(v) + epsHat)
 * which is lr mhat / (sqrt(vhat) + eps); AdamW's decoupled decay is the shrink factor. A clipping
 * factor c (g -> c g) enters through the scalars: (1 - b1) c and (1 - b2) c^2.
 */
function adamUpdate(o: OptimizerSpec, alpha: Value, epsHat: Value, shrink: Value, p: Value, m: Value, v: Value, g: Value, clip: Value | null): [Value, Value, Value] {
  const c1 = clip ? op.mul(clip, 1 - o.beta1) : 1 - o.beta1;
  const c2 = clip ? op.mul(op.square(clip), 1 - o.beta2) : 1 - o.beta2;
  const m2 = op.add(op.mul(m, o.beta1), op.mul(g, c1));
  const v2 = op.add(op.mul(v, o.beta2), op.mul(op.square(g), c2));
  const upd = op.div(m2, op.add(op.sqrt(v2), epsHat));
  const decayed = o.optimizer === 'adamw' && o.weightDecay > 0 ? op.mul(p, shrink) : p;
  return [m2, v2, op.sub(decayed, op.mul(upd, alpha))];
}

