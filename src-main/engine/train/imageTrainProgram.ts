/**
 * The training program of image nets (and of any net whose batches the host gathers): K steps
 * written out one after another (no Loop: one step per call is what a U-Net wants, measured in
 * imageTrainSession.ts), each on a batch of data the host gathered and dequantised for it:
 *   t ~ p(t) [B, 1] broadcast over the sample axes, x0 ~ N(0, I) [B, D] (and z), from the hash
 *   bits of the step's key (the same counter-based generator as the MLP program);
 *   x_t = a x0 + b x1 (+ gamma z), target dI/dt;  loss = mean over batch and values of
 *   (v(t, x_t) - dI/dt)^2 (so the loss of an image is per pixel, comparable across sizes);
 *   gradients by `grad`, then the shared optimizer step (optimizerStep.ts).
 * Inputs:  params, m, v, ema [P]; keys [K] (uint32); sched [K, 4]; x1 [K, B, D].
 * Outputs: params_out, m_out, v_out, ema_out [P]; losses, grad_norms [K].
 */
import type { TimeSampling } from '../../api/config.js';
import { grad } from '../onnx/autodiff.js';
import { Graph, type Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { hashBitsGraph, normalFromUniforms, uniformFromBits } from '../onnx/randomGraph.js';
import { serializeModel } from '../onnx/serialize.js';
import { graphAlgebra } from '../interpolants/algebra.js';
import { pathPoint } from '../interpolants/path.js';
import type { Interpolant } from '../interpolants/schedules.js';
import { netDim, netParamCount, netTensors, type NetSpec } from '../nets/velocityNet.js';
import { optimizerStep, type OptimizerSpec } from './optimizerStep.js';
import { SCHED_COLUMNS } from './stepInputs.js';
import { flatGradient, unrolled } from './trainProgram.js';

export interface ImageTrainProgramSpec {
  net: NetSpec;
  interpolant: Interpolant;
  batch: number;
  optim: OptimizerSpec;
  timeSampling: TimeSampling;
  /** Steps per program call. */
  steps: number;
}

/** Where each draw of a step sits in its hash bits: [t | x0 | z], normals an even count each. */
export function imageRandomLayout(spec: ImageTrainProgramSpec) {
  const B = spec.batch;
  const nd = B * netDim(spec.net);
  const even = nd + (nd % 2);
  const t = { offset: 0, count: B };
  const x0 = { offset: B, count: even };
  const z = spec.interpolant.latentNoise ? { offset: B + even, count: even } : null;
  return { t, x0, z, total: (z ?? x0).offset + (z ?? x0).count };
}

export function buildImageTrainGraph(spec: ImageTrainProgramSpec): Graph {
  const { net, optim, batch: B, steps: K } = spec;
  if (!(Number.isInteger(K) && K >= 1)) throw new Error(`steps per call must be a whole number >= 1, got ${K}`);
  const D = netDim(net);
  const P = netParamCount(net);
  const g = new Graph('train_images');
  const state = ['params', 'm', 'v', 'ema'].map((n) => g.input(n, 'float32', [P]));
  const keys = g.input('keys', 'uint32', [K]);
  const sched = g.input('sched', 'float32', [K, SCHED_COLUMNS]);
  const x1s = g.input('x1', 'float32', [K, B, D]);
  const layout = imageRandomLayout(spec);

  const result = unrolled(g, K, state, ({ graph: b, iter, carried: [p, m, v, ema] }) => {
    const bits = hashBitsGraph(b, op.gather(keys, iter), layout.total);
    const part = (r: { offset: number; count: number }) => op.slice(bits, [r.offset], [r.offset + r.count], [0]);
    const normals = (r: { offset: number; count: number }) => op.reshape(op.slice(normalFromUniforms(uniformFromBits(part(r))), [0], [B * D], [0]), [B, D]);
    const u = op.reshape(uniformFromBits(part(layout.t)), [B, 1]);
    // 'late': t = 1 - (1 - u)^2 (see TIME_SAMPLINGS in config.ts)
    const t = op.mul(spec.timeSampling === 'late' ? op.sub(1, op.square(op.sub(1, u))) : u, spec.interpolant.tMax);
    const A = graphAlgebra(t);
    const { xt, dxt } = pathPoint(A, spec.interpolant.at(A, t), normals(layout.x0), op.gather(x1s, iter), layout.z ? normals(layout.z) : null);
    const { tensors, field } = netTensors(net, p);
    const loss = op.mul(op.reduceSumSquare(op.sub(field(xt, t), dxt)), 1 / (B * D));
    const { state: next, gnorm } = optimizerStep(optim, b, sched, iter, [p, m, v, ema], flatGradient(grad(loss, tensors)));
    return { carried: next, scans: [loss, gnorm] };
  });
  const [pOut, mOut, vOut, emaOut] = result.final;
  const [losses, gnorms] = result.scans;
  return g.setNamedOutputs({ params_out: pOut, m_out: mOut, v_out: vOut, ema_out: emaOut, losses, grad_norms: gnorms });
}

export function buildImageTrainProgram(spec: ImageTrainProgramSpec): Uint8Array {
  return serializeModel(buildImageTrainGraph(spec));
}
