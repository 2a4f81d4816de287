/**
 * The fused training program: K optimizer steps in one ONNX Loop. Each step draws its own
 * randomness from (seed, step) in the graph, interpolates, evaluates the quadratic velocity loss
 * (SCIENCE.md section 2), differentiates it with `grad`, clips the gradient norm, applies Adam
 * (or AdamW) with bias correction, and updates the EMA of the weights. Parameters and optimizer
 * state are flat Float32 vectors carried through the Loop; every step's loss and gradient norm
 * come back as scan outputs.
 *
 * Inputs:  params, m, v, ema [P]; step0, trips (int64 scalars); lrs [trips] (the learning rate
 *          of each step); seed (uint32); data [N, d]; base [N0, d] (data-to-data only).
 * Outputs: params_out, m_out, v_out, ema_out [P]; losses, grad_norms [trips].
 */
import type { TrainConfig } from '../config.js';
import { grad } from '../onnx/autodiff.js';
import { Graph, type Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { indexGraph, normalGraph, streamKeyGraph, uniformGraph } from '../onnx/randomGraph.js';
import { serializeModel } from '../onnx/serialize.js';
import { graphAlgebra } from '../interpolants/algebra.js';
import type { Interpolant } from '../interpolants/schedules.js';
import { mlpVelocity, paramLayout, unpackParams, type MlpSpec } from '../nets/mlp.js';

/** Random streams: one per kind of draw, so changing one never shifts another. */
export const STREAM = { t: 1, x0: 2, x1Index: 3, z: 4, x0Index: 5 } as const;
/** Added to the gradient norm before dividing, so a zero gradient never divides by zero. */
const CLIP_EPS = 1e-6;
/** EMA warm-up: decay_t = min(decay, (1 + step) / (10 + step)), so early averages follow the weights. */
const EMA_WARMUP = 10;

export type OptimizerSpec = Pick<TrainConfig, 'optimizer' | 'beta1' | 'beta2' | 'eps' | 'weightDecay' | 'clipNorm' | 'emaDecay'>;

export interface TrainProgramSpec {
  net: MlpSpec;
  interpolant: Interpolant;
  batch: number;
  /** Rows of the target dataset held by the program's `data` input. */
  nData: number;
  /** Rows of the base dataset, or null for a standard Gaussian base. */
  nBase: number | null;
  optim: OptimizerSpec;
}

/** One step's loss for given endpoint samples: |v(t, x_t) - dI/dt|^2 summed over d, mean over the batch. */
export function velocityLoss(spec: TrainProgramSpec, layers: Value[], t: Value, x0: Value, x1: Value, z: Value | null): Value {
  const A = graphAlgebra(t);
  const c = spec.interpolant.at(A, t);
  let xt = op.add(op.mul(c.a, x0), op.mul(c.b, x1));
  let target = op.add(op.mul(c.da, x0), op.mul(c.db, x1));
  if (c.gamma && c.dgamma && z) {
    xt = op.add(xt, op.mul(c.gamma, z));
    target = op.add(target, op.mul(c.dgamma, z));
  }
  const v = mlpVelocity(spec.net, layers, xt, t);
  return op.mul(op.reduceSumSquare(op.sub(v, target)), 1 / spec.batch);
}

export function buildTrainGraph(spec: TrainProgramSpec): Graph {
  const { net, batch: B, optim } = spec;
  const d = net.dim;
  const P = paramLayout(net).total;
  const g = new Graph('train');
  const state = ['params', 'm', 'v', 'ema'].map((n) => g.input(n, 'float32', [P]));
  const step0 = g.input('step0', 'int64', []);
  const trips = g.input('trips', 'int64', []);
  const lrs = g.input('lrs', 'float32', ['trips']);
  const seed = g.input('seed', 'uint32', []);
  const data = g.input('data', 'float32', [spec.nData, d]);
  const base = spec.nBase === null ? null : g.input('base', 'float32', [spec.nBase, d]);

  const result = op.loop(g, trips, state, ({ graph: b, iter, carried: [p, m, v, ema] }) => {
    const step = op.add(step0, iter);
    const counter = op.cast(step, 'uint32');
    const key = (stream: number) => streamKeyGraph(seed, stream, counter);
    const lr = op.gather(lrs, iter);

    const t = op.mul(op.reshape(uniformGraph(b, key(STREAM.t), B), [B, 1]), spec.interpolant.tMax);
    const x0 = base
      ? op.gather(base, indexGraph(b, key(STREAM.x0Index), B, spec.nBase!))
      : op.reshape(normals(b, key(STREAM.x0), B * d), [B, d]);
    const x1 = op.gather(data, indexGraph(b, key(STREAM.x1Index), B, spec.nData));
    const z = spec.interpolant.latentNoise ? op.reshape(normals(b, key(STREAM.z), B * d), [B, d]) : null;

    const layers = unpackParams(net, p);
    const loss = velocityLoss(spec, layers, t, x0, x1, z);
    let gflat = op.concat(grad(loss, layers).map((gl) => op.reshape(gl, [-1])), 0);
    if (optim.optimizer === 'adam' && optim.weightDecay > 0) gflat = op.add(gflat, op.mul(p, optim.weightDecay));
    const gnorm = op.sqrt(op.reduceSumSquare(gflat));
    if (optim.clipNorm > 0) {
      const scale = op.minimum(op.div(optim.clipNorm, op.add(gnorm, CLIP_EPS)), 1);
      gflat = op.mul(gflat, scale);
    }
    const [m2, v2, p2] = adamUpdate(optim, step, lr, p, m, v, gflat);
    const stepF = op.cast(step, 'float32');
    const decay = op.minimum(op.div(op.add(stepF, 1), op.add(stepF, EMA_WARMUP)), optim.emaDecay);
    const ema2 = op.add(ema, op.mul(op.sub(p2, ema), op.sub(1, decay)));
    return { carried: [p2, m2, v2, ema2], scans: [loss, gnorm] };
  });
  const [pOut, mOut, vOut, emaOut] = result.final;
  const [losses, gnorms] = result.scans;
  return g.setNamedOutputs({ params_out: pOut, m_out: mOut, v_out: vOut, ema_out: emaOut, losses, grad_norms: gnorms });
}

/**
 * Adam with bias correction, folded into scalars:
 *   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2,  k = step + 1
 *   p -= lr sqrt(1 - b2^k) / (1 - b1^k) * m / (sqrt(v) + eps sqrt(1 - b2^k))
 * which equals lr * mhat / (sqrt(vhat) + eps). AdamW also decays p by lr * wd (decoupled).
 */
function adamUpdate(o: OptimizerSpec, step: Value, lr: Value, p: Value, m: Value, v: Value, g: Value): [Value, Value, Value] {
  const m2 = op.add(op.mul(m, o.beta1), op.mul(g, 1 - o.beta1));
  const v2 = op.add(op.mul(v, o.beta2), op.mul(op.square(g), 1 - o.beta2));
  const k = op.cast(op.add(step, 1), 'float32');
  const bc1 = op.sub(1, op.pow(p.graph.scalar(o.beta1), k));
  const sbc2 = op.sqrt(op.sub(1, op.pow(p.graph.scalar(o.beta2), k)));
  const alpha = op.div(op.mul(lr, sbc2), bc1);
  const upd = op.div(m2, op.add(op.sqrt(v2), op.mul(sbc2, o.eps)));
  let p2 = op.sub(p, op.mul(upd, alpha));
  if (o.optimizer === 'adamw' && o.weightDecay > 0) p2 = op.sub(p2, op.mul(p, op.mul(lr, o.weightDecay)));
  return [m2, v2, p2];
}

/** n standard normals (Box-Muller works on pairs: draw one extra when n is odd). */
function normals(g: Graph, key: Value, n: number): Value {
  const z = normalGraph(g, key, n + (n % 2));
  return n % 2 ? op.slice(z, [0], [n], [0]) : z;
}

export function buildTrainProgram(spec: TrainProgramSpec): Uint8Array {
  return serializeModel(buildTrainGraph(spec));
}
