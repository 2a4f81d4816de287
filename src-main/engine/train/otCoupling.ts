/**
 * Minibatch optimal-transport coupling as graph code (OT conditional flow matching, SCIENCE.md
 * section 5): before x_t is formed, each base point x0_i of the batch is paired with a data point
 * of the same batch by an entropic OT plan between the two uniform empirical measures, for the
 * squared distance cost C_ij = |x0_i - x1_j|^2 (in the equivalent centred and scaled form of
 * `scaledCost`; a large batch is coupled in blocks of OT_BLOCK points).
 * Log-domain Sinkhorn, K rounds from g = 0:
 *
 *   f_i = -eps logsumexp_j((g_j - C_ij) / eps),   g_j = -eps logsumexp_i((f_i - C_ij) / eps)
 *
 * (the uniform marginals' log(1/B) only shift f and g by constants). The plan is
 * P_ij ~ exp((f_i + g_j - C_ij) / eps); each base point's partner is drawn from row i of the
 * plan, P(j | i) ~ exp((g_j - C_ij) / eps), by the Gumbel-max trick, as a one-hot row times x1. As OT-CFM's draws from the plan, partners are drawn with replacement,
 * and the last round fixes the plan's column sums, so each data point keeps its share of the
 * pairs on average (a hard argmax of the plan would not: it crowds the base points onto the
 * nearest data points, changing the target the net learns). Nothing here depends on the weights: the loss's gradient does not pass through it. It all runs inside the
 * training step, so the fused Loop stays one program (the step's uniforms come from the
 * counter-based generator under a key derived from the step's).
 *
 * Why in the graph: an exact assignment on the host (metrics/assignment.ts, Jonker-Volgenant with
 * an auction warm start) took 55 ms per batch of 256 and 1.1 s per batch of 1024 on the shared
 * 2-core CPU, and would move the draws out of the fused Loop; this coupling added about 14 ms to
 * a 32 ms step at batch 256 and about 90 ms to an 88 ms step at 1024 (best of 3, default net).
 */
import type { Graph, Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { lowbias32Graph, uniformFromBits } from '../onnx/randomGraph.js';
import { lowbias32 } from '../random.js';

export { COUPLINGS } from '../../api/config.js';
export type { CouplingName as Coupling } from '../../api/config.js';

/**
 * Entropic regularisation relative to the RMS of the centred cost, and Sinkhorn rounds per step
 * (each an f and a g update). Measured on 128 normal base points against a checkerboard batch:
 * eps 0.2 with 10 rounds leaves the data marginal of the rows' draws within total variation 0.004
 * of uniform at an expected pair cost of 4.18 (independent pairs: about 13; the converged plans
 * of eps 0.1 and 0.05: 3.61 and 3.32, but with 10 rounds their marginals are off by 0.019 and
 * 0.079, and each further round costs as much as one of these).
 */
export const OT_REGULARISATION = 0.2;
export const OT_ROUNDS = 10;
/**
 * Points per OT block: a batch of B = k OT_BLOCK is coupled within k blocks, so the cost grows
 * like B OT_BLOCK rather than B^2. On 1024 checkerboard pairs, blocks of 128 gave a mean squared
 * pair distance of 4.36 against 4.21 for blocks of 256, at half the time.
 */
export const OT_BLOCK = 128;

/** Rows per block for a batch of B: OT_BLOCK when it divides B, else the whole batch. */
export function otBlockRows(B: number, block = OT_BLOCK): number {
  return B > block && B % block === 0 ? block : B;
}

/** logsumexp over `axis` of x [k, m, m], kept with that axis of size 1. */
function logSumExp(x: Value, axis: number): Value {
  const top = op.reduceMax(x, [axis], true);
  return op.add(top, op.log(op.reduceSum(op.exp(op.sub(x, top)), [axis], true)));
}

/**
 * The block's cost up to terms in i alone or j alone, which the potentials absorb (the plan is
 * unchanged): |x0_i - x1_j|^2 = |x0_i|^2 + |x1_j|^2 - 2 x0_i . x1_j, and centring x0 and x1 adds
 * only such terms, so C~_ij = -2 (x0_i - mean x0) . (x1_j - mean x1), scaled to unit RMS so the
 * regularisation is relative to the spread a coupling can act on (not to a common offset of the
 * two clouds). x0, x1 [k, m, d] give [k, m, m].
 */
export function scaledCost(x0: Value, x1: Value): Value {
  const centred = (x: Value) => op.sub(x, op.reduceMean(x, [1], true));
  const cost = op.mul(op.matmul(centred(x0), op.transpose(centred(x1), [0, 2, 1])), -2);
  return op.div(cost, op.add(op.sqrt(op.reduceMean(op.square(cost), [1, 2], true)), 1e-12));
}

/** The dual potential g [k, 1, m] after `rounds` log-domain Sinkhorn rounds on the scaled cost. */
export function sinkhornPotential(cost: Value, reg = OT_REGULARISATION, rounds = OT_ROUNDS): Value {
  const negCost = op.mul(cost, -1 / reg);
  let g: Value | null = null;
  for (let k = 0; k < rounds; k++) {
    // f / eps = -lse_j(g / eps - C / eps), then g / eps = -lse_i(f / eps - C / eps): potentials kept divided by eps
    const f = op.neg(logSumExp(g ? op.add(negCost, g) : negCost, 2));
    g = op.neg(logSumExp(op.add(negCost, f), 1));
  }
  return op.mul(g!, reg);
}

/**
 * The data points paired with x0 [B, d] among x1 [B, d], block by block (`otBlockRows`): row i
 * of the result is x1[partner(i)], partner(i) drawn from row i of the block's plan by the
 * Gumbel-max trick with the uniforms u [B m] (m rows per block):
 * argmax_j ((g_j - C_ij) / eps - log(-log u_ij)).
 */
export function otPartners(x0: Value, x1: Value, u: Value, reg = OT_REGULARISATION, rounds = OT_ROUNDS, block = OT_BLOCK): Value {
  const [B, d] = x0.staticShape();
  const m = otBlockRows(B, block);
  const blocks = (x: Value) => op.reshape(x, [B / m, m, d]);
  const y1 = blocks(x1);
  const cost = scaledCost(blocks(x0), y1);
  const logits = op.div(op.sub(sinkhornPotential(cost, reg, rounds), cost), reg);
  const score = op.sub(logits, op.log(op.neg(op.log(op.reshape(u, [B / m, m, m])))));
  const oneHot = op.cast(op.equal(score, op.reduceMax(score, [2], true)), 'float32');
  return op.reshape(op.matmul(oneHot, y1), [B, d]);
}

/** Salt of the key of a step's pairing uniforms: lowbias32(stepKey ^ OT_SALT), a stream apart from the step's draws. */
export const OT_SALT = 0x6f74636f;

/**
 * The step's OT-coupled partners of x0 among x1 ([B, d] each), the uniforms hashed from the
 * step's key (uint32 scalar) and `index`, the constant lowbias32(0..count-1) (`otIndexConstant`).
 */
export function otCoupledStep(x0: Value, x1: Value, stepKey: Value, index: Value): Value {
  const key = lowbias32Graph(op.bitwiseXor(stepKey, stepKey.graph.scalar(OT_SALT, 'uint32')));
  return otPartners(x0, x1, uniformFromBits(lowbias32Graph(op.bitwiseXor(index, key))));
}

/** lowbias32(i) for the B m uniforms of a batch of B (m rows per block), made once per program. */
export function otIndexConstant(g: Graph, B: number): Value {
  const count = B * otBlockRows(B);
  const pre = new Uint32Array(count);
  for (let i = 0; i < count; i++) pre[i] = lowbias32(i);
  return g.constant(pre, 'uint32', [count]);
}
