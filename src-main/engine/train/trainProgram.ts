/**
 * The fused training program: K optimizer steps in one ONNX Loop. Before the Loop, one
 * vectorized pass hashes every step's random bits from its key and draws t, the uniforms of x0
 * (and z) and the data rows. Each step then makes its Gaussian draws and its regression pairs,
 * evaluates the quadratic velocity loss (SCIENCE.md section 2), differentiates it with `grad`,
 * clips the gradient norm, applies Adam (or AdamW) with bias correction, and updates the EMA of
 * the weights. Parameters and optimizer state are flat Float32 vectors carried through the
 * Loop; every step's loss and gradient norm come back as scan outputs. Per-step scalars and
 * keys come from the host (`stepInputs.ts`).
 *
 * Inputs:  params, m, v, ema [P]; trips (int64); keys [trips] (uint32); sched [trips, 4];
 *          data [N, d]; base [N0, d] (data-to-data only).
 * Outputs: params_out, m_out, v_out, ema_out [P]; losses, grad_norms [trips].
 *
 * Unrolled (`unroll: K`): the same K steps written out one after another, with no Loop and no
 * `trips` input. ONNX Runtime has no Loop kernel on its GPU providers, so there the Loop runs
 * on the CPU and every step's state goes to the host and back; the unrolled program stays on
 * the device (on WebGPU only the random-bit hashing, 11 nodes run once per program before the
 * steps, falls back to the CPU: the provider has no bitwise kernels). Its steps are the same ops
 * in the same order: the losses are bit-identical.
 */
import type { TimeSampling } from '../../api/config.js';
import { grad } from '../onnx/autodiff.js';
import { attrsOf, Graph, type Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { hashBitsGraph, indexFromBits, normalFromUniforms, uniformFromBits } from '../onnx/randomGraph.js';
import { serializeModel } from '../onnx/serialize.js';
import { graphAlgebra } from '../interpolants/algebra.js';
import { pathPoint } from '../interpolants/path.js';
import type { Interpolant } from '../interpolants/schedules.js';
import { mlpForward, netInput, paramLayout, unpackParams, type MlpSpec } from '../nets/mlp.js';
import { optimizerStep, type OptimizerSpec } from './optimizerStep.js';
import { SCHED, SCHED_COLUMNS } from './stepInputs.js';
import { otCoupledStep, otIndexConstant, type Coupling } from './otCoupling.js';
import { learnedGraphInterpolant } from '../interpolants/learned.js';

export type { OptimizerSpec } from './optimizerStep.js';

export interface TrainProgramSpec {
  net: MlpSpec;
  interpolant: Interpolant;
  batch: number;
  /** Rows of the target dataset held by the program's `data` input. */
  nData: number;
  /** Rows of the base dataset, or null for a standard Gaussian base. */
  nBase: number | null;
  optim: OptimizerSpec;
  timeSampling?: TimeSampling;
  /** The step's loss and its gradients with respect to each layer tensor (default: `autodiffLossAndGrads`). */
  lossAndGrads?: LossAndGrads;
  /** Exactly this many steps, written out without a Loop (for GPU backends; see above). */
  unroll?: number;
  /** How a batch's base and data points are paired (default independent; 'ot': otCoupling.ts). */
  coupling?: Coupling;
  /**
   * Terms K of a learned interpolant (interpolants/learned.ts) whose 2K coefficients are the
   * program's `coefficients` input; absent: `interpolant` as given.
   */
  learnedTerms?: number;
}

/**
 * A step's loss and its gradients with respect to each layer tensor, from the net's input rows
 * `input` [B, featureCount] ([x_t, time features of t]) and the regression target dI/dt [B, d].
 */
export type LossAndGrads = (spec: TrainProgramSpec, layers: Value[], input: Value, target: Value) => { loss: Value; grads: Value[] };

/** The velocity loss, differentiated by the graph builder's reverse mode. */
export const autodiffLossAndGrads: LossAndGrads = (spec, layers, input, target) => {
  const loss = velocityLoss(spec, layers, input, target);
  return { loss, grads: grad(loss, layers) };
};

/** One step's loss: |v(t, x_t) - dI/dt|^2 summed over d, mean over the batch. */
export function velocityLoss(spec: TrainProgramSpec, layers: Value[], input: Value, target: Value): Value {
  const v = mlpForward(spec.net, layers, input);
  return op.mul(op.reduceSumSquare(op.sub(v, target)), 1 / spec.batch);
}

/**
 * The regression pairs of endpoint samples: the net's input rows at x_t = a x0 + b x1 (+ gamma z)
 * and the target dI/dt = a' x0 + b' x1 (+ gamma' z).
 */
export function regressionPairs(spec: TrainProgramSpec, t: Value, x0: Value, x1: Value, z: Value | null): { input: Value; target: Value } {
  const A = graphAlgebra(t);
  const { xt, dxt } = pathPoint(A, spec.interpolant.at(A, t), x0, x1, z);
  return { input: netInput(spec.net, xt, t), target: dxt };
}

/**
 * Where each draw of a step sits in the step's stream of hash bits: [t | x0 | x1 rows | z]
 * (normals take an even count for Box-Muller pairs). The TypeScript mirror of a batch uses it too.
 */
export function randomLayout(spec: TrainProgramSpec) {
  const B = spec.batch;
  const nd = B * spec.net.dim;
  const even = nd + (nd % 2);
  const t = { offset: 0, count: B };
  const x0 = spec.nBase === null ? { offset: B, count: even } : { offset: B, count: B };
  const x1 = { offset: x0.offset + x0.count, count: B };
  const z = spec.interpolant.latentNoise ? { offset: x1.offset + x1.count, count: even } : null;
  return { t, x0, x1, z, total: (z ?? x1).offset + (z ?? x1).count };
}

/**
 * What every step of one program run draws, from the steps' keys [k], made in one vectorized
 * pass before the Loop: t [k, B, 1], the data rows x1 [k, B, d], base rows x0 [k, B, d] (a dataset
 * base) or the uniforms of the Gaussian x0 and z (pairs for Box-Muller) [k, even(B d)]. Step i's
 * draws depend on keys[i] alone, and this pass uses only integer ops and exactly rounded float
 * arithmetic, so every step gets the bits per-step draws give, whatever k is. The transcendental
 * parts (Box-Muller's log, sqrt, cos, sin; the schedule's and the time features' sin and cos) are
 * left to each step (`stepPairs`): ONNX Runtime's Log, for one, rounds an element differently
 * depending on where it falls in a larger tensor, which would make a run depend on its chunking.
 */
export function drawSteps(spec: TrainProgramSpec, keys: Value, data: Value, base: Value | null) {
  const B = spec.batch;
  const layout = randomLayout(spec);
  const bits = hashBitsGraph(keys.graph, op.unsqueeze(keys, [1]), layout.total);
  const part = (r: { offset: number; count: number }) => op.slice(bits, [r.offset], [r.offset + r.count], [1]);
  const u = op.reshape(uniformFromBits(part(layout.t)), [0, B, 1]);
  // 'late': t = 1 - (1 - u)^2 (see TIME_SAMPLINGS in config.ts)
  const unit = spec.timeSampling === 'late' ? op.sub(1, op.square(op.sub(1, u))) : u;
  return {
    t: op.mul(unit, spec.interpolant.tMax),
    x0: base ? op.gather(base, indexFromBits(part(layout.x0), spec.nBase!)) : null,
    x0Uniforms: base ? null : uniformFromBits(part(layout.x0)),
    x1: op.gather(data, indexFromBits(part(layout.x1), spec.nData)),
    zUniforms: layout.z ? uniformFromBits(part(layout.z)) : null,
    keys,
    otIndex: spec.coupling === 'ot' ? otIndexConstant(keys.graph, B) : null,
  };
}

/** Step `iter`'s regression pairs from the run's draws (`drawSteps`). */
export function stepPairs(spec: TrainProgramSpec, draws: ReturnType<typeof drawSteps>, iter: Value): { input: Value; target: Value } {
  const [B, d] = [spec.batch, spec.net.dim];
  const normals = (uniforms: Value) => op.reshape(op.slice(normalFromUniforms(op.gather(uniforms, iter)), [0], [B * d], [0]), [B, d]);
  const x0 = draws.x0 ? op.gather(draws.x0, iter) : normals(draws.x0Uniforms!);
  const z = draws.zUniforms ? normals(draws.zUniforms) : null;
  const drawn = op.gather(draws.x1, iter);
  const x1 = draws.otIndex ? otCoupledStep(x0, drawn, op.gather(draws.keys, iter), draws.otIndex) : drawn;
  return regressionPairs(spec, op.gather(draws.t, iter), x0, x1, z);
}

/** The spec with a learned interpolant reading its coefficients from the `coefficients` input [2K]. */
function withLearnedCoefficients(g: Graph, spec: TrainProgramSpec): TrainProgramSpec {
  if (!spec.learnedTerms) return spec;
  const input = g.input('coefficients', 'float32', [2 * spec.learnedTerms]);
  const scalars = Array.from({ length: 2 * spec.learnedTerms }, (_, i) => op.gather(input, g.scalar(i, 'int64')));
  return { ...spec, interpolant: learnedGraphInterpolant(scalars) };
}

export function buildTrainGraph(given: TrainProgramSpec): Graph {
  const { net, optim } = given;
  const d = net.dim;
  const P = paramLayout(net).total;
  const g = new Graph('train');
  const state = ['params', 'm', 'v', 'ema'].map((n) => g.input(n, 'float32', [P]));
  const unroll = given.unroll;
  if (unroll !== undefined && !(Number.isInteger(unroll) && unroll >= 1)) throw new Error(`unroll must be a whole number >= 1, got ${unroll}`);
  const trips = unroll === undefined ? g.input('trips', 'int64', []) : null;
  const keys = g.input('keys', 'uint32', [unroll ?? 'trips']);
  const sched = g.input('sched', 'float32', [unroll ?? 'trips', SCHED_COLUMNS]);
  const data = g.input('data', 'float32', [given.nData, d]);
  const base = given.nBase === null ? null : g.input('base', 'float32', [given.nBase, d]);
  const spec = withLearnedCoefficients(g, given);
  const draws = drawSteps(spec, keys, data, base);

  const step = ({ graph: b, iter, carried: [p, m, v, ema] }: StepArgs): StepOut => {
    const layers = unpackParams(net, p);
    const { input, target } = stepPairs(spec, draws, iter);
    const { loss, grads } = (spec.lossAndGrads ?? autodiffLossAndGrads)(spec, layers, input, target);
    const { state: next, gnorm } = optimizerStep(optim, b, sched, iter, [p, m, v, ema], flatGradient(grads));
    return { carried: next, scans: [loss, gnorm] };
  };
  const result = trips ? op.loop(g, trips, state, step) : unrolled(g, unroll!, state, step);
  const [pOut, mOut, vOut, emaOut] = result.final;
  const [losses, gnorms] = result.scans;
  return g.setNamedOutputs({ params_out: pOut, m_out: mOut, v_out: vOut, ema_out: emaOut, losses, grad_norms: gnorms });
}

interface StepArgs {
  graph: Graph;
  iter: Value;
  carried: Value[];
}
interface StepOut {
  carried: Value[];
  scans: Value[];
}

/** K steps one after another in the graph itself: what the Loop returns, without the Loop. */
export function unrolled(g: Graph, K: number, initial: Value[], step: (a: StepArgs) => StepOut): { final: Value[]; scans: Value[] } {
  let carried = initial;
  const scans: Value[][] = [];
  for (let k = 0; k < K; k++) {
    const out = step({ graph: g, iter: g.scalar(k, 'int64'), carried });
    carried = out.carried;
    out.scans.forEach((v, j) => (scans[j] ??= []).push(op.unsqueeze(v, [0])));
  }
  return { final: carried, scans: scans.map((vs) => (vs.length === 1 ? vs[0] : op.concat(vs, 0))) };
}

/**
 * The layer gradients as one flat vector in the parameter layout (w0, b0, w1, b1, ...). Where a
 * layer's weight and bias gradients are the two row blocks of one [fin + 1, fout] product (the
 * Gemm rule's [a, 1]^T g), that product already is the layer's stretch of the layout: it goes in
 * whole, without slicing it apart and copying the pieces back together.
 */
export function flatGradient(grads: Value[]): Value {
  const parts: Value[] = [];
  for (let i = 0; i < grads.length; i++) {
    const both = i + 1 < grads.length ? rowBlocksOf(grads[i], grads[i + 1]) : null;
    if (both) {
      parts.push(op.reshape(both, [-1]));
      i++;
    } else parts.push(op.reshape(grads[i], [-1]));
  }
  return parts.length === 1 ? parts[0] : op.concat(parts, 0);
}

/** The product P when w = P[0:k] and b = reshape(P[k:k+1]) (row slices of a 2-D P with k + 1 rows). */
function rowBlocksOf(w: Value, b: Value): Value | null {
  const k = w.shape[0];
  if (w.rank !== 2 || typeof k !== 'number' || b.node?.def.op !== 'Reshape') return null;
  const rows = (v: Value, from: number, to: number): Value | null => {
    const bounds = attrsOf(v.node, op.Slice);
    if (!bounds) return null;
    const { starts: s, ends: e, axes: a } = bounds;
    const src = v.node!.inputs[0]!;
    return src.rank === 2 && src.shape[0] === k + 1 && a.length === 1 && a[0] === 0 && s[0] === from && e[0] === to ? src : null;
  };
  const src = rows(w, 0, k);
  return src && rows(b.node.inputs[0]!, k, k + 1) === src ? src : null;
}

export function buildTrainProgram(spec: TrainProgramSpec): Uint8Array {
  return serializeModel(buildTrainGraph(spec));
}
