/**
 * Network layers beyond single elementwise ops:
 *   Softmax(axis)   y = exp(x) / sum exp(x),  dx = y (g - sum(g y, axis))
 *   LogSoftmax(axis) y = x - max x - log sum exp(x - max x) (ONNX Runtime's stable kernel),
 *                   dx = g - exp(y) sum(g, axis)
 *   softmaxCrossEntropy  a composite: -mean over rows of sum(onehot * LogSoftmax(logits))
 *   LayerNormalization over the last axis with unit scale and no bias (`normalizeLastAxis`):
 *                   y = (x - mean) r, r = 1 / sqrt(var + eps) (both per row, ONNX's Mean and
 *                   InvStdDev outputs), with the whole derivative in one rule:
 *                   dx = r (g - mean(g) - y mean(g y))
 *   groupNorm       per sample and group of channels, y = normalized x * scale[c] + bias[c]:
 *                   normalizeLastAxis on [N, groups, C/groups H W], then a Mul and an Add.
 *                   For the MNIST U-Net's step this replaced a composite of ReduceMean, Sub,
 *                   Mul, Sqrt and Reciprocal whose gradient took about 20 passes per norm.
 */
import { normAxis, typedArrayOf, type OpDef, type Value } from '../graph.js';
import { apply1 } from './operands.js';
import { add, exp, mul, neg, sub } from './elementwise.js';
import { reduceMean, reduceSum } from './reduce.js';
import { cast, reshape } from './shape.js';

export const Softmax: OpDef<{ axis: number }> = {
  op: 'Softmax',
  infer: ([x]) => [{ dtype: x!.dtype, shape: x!.shape }],
  onnx: (a) => ({ axis: a.axis }),
  grad: (n, [g]) => {
    const y = n.outputs[0];
    return [mul(y, sub(g!, reduceSum(mul(g!, y), [n.attrs.axis], true)))];
  },
};

/** Softmax along `axis` (default the last). */
export function softmax(x: Value, axis = -1): Value {
  return apply1(Softmax, [x], { axis: normAxis(axis, x.rank) });
}

export const LogSoftmax: OpDef<{ axis: number }> = {
  op: 'LogSoftmax',
  infer: ([x]) => [{ dtype: x!.dtype, shape: x!.shape }],
  onnx: (a) => ({ axis: a.axis }),
  grad: (n, [g]) => [sub(g!, mul(exp(n.outputs[0]), reduceSum(g!, [n.attrs.axis], true)))],
};

/** log softmax along `axis` (default the last), without overflow for large logits. */
export function logSoftmax(x: Value, axis = -1): Value {
  return apply1(LogSoftmax, [x], { axis: normAxis(axis, x.rank) });
}

/**
 * Cross-entropy of logits [B, K] against target distributions [B, K] (one-hot labels):
 *   L = -(1/B) sum_b sum_k target[b, k] log softmax(logits[b])_k
 * Its gradient in the logits is (softmax(logits) - target) / B, through LogSoftmax's rule.
 */
export function softmaxCrossEntropy(logits: Value, target: Value): Value {
  const rows = logits.shape[0];
  if (logits.rank !== 2 || typeof rows !== 'number') throw new Error(`softmaxCrossEntropy needs static [B, K] logits, got [${logits.shape}]`);
  return mul(neg(reduceSum(mul(target, logSoftmax(logits)))), 1 / rows);
}

/** Variance floor of PyTorch's GroupNorm default. */
export const GROUP_NORM_EPS = 1e-5;

/**
 * Built only by `normalizeLastAxis`, whose scale input is a constant of ones: the rule assumes
 * it. Mean and InvStdDev come out as float32 (ONNX's default stash_type; ONNX Runtime's CPU
 * kernel has no float64 one).
 */
export const LayerNormalization: OpDef<{ epsilon: number }> = {
  op: 'LayerNormalization',
  infer: ([x]) => {
    const rows = [...x!.shape.slice(0, -1), 1];
    return [{ dtype: x!.dtype, shape: x!.shape }, { dtype: 'float32', shape: rows }, { dtype: 'float32', shape: rows }];
  },
  onnx: (a) => ({ axis: -1, epsilon: { float: a.epsilon } }),
  grad: (n, [g, gMean, gRstd]) => {
    if (gMean || gRstd) throw new Error('LayerNormalization: no gradient through its Mean and InvStdDev outputs');
    const [y, , stashed] = n.outputs;
    const r = stashed.dtype === y.dtype ? stashed : cast(stashed, y.dtype);
    const last = y.rank - 1;
    // r g - (r mean(g) + y (r mean(g y))): the two row terms are small, so 4 passes over x's size.
    const rowShift = mul(r, reduceMean(g!, [last], true));
    const rowScale = mul(r, reduceMean(mul(g!, y), [last], true));
    return [sub(mul(g!, r), add(mul(y, rowScale), rowShift)), null];
  },
};

/** (x - mean) / sqrt(var + eps) along the last axis of x. */
export function normalizeLastAxis(x: Value, eps: number): Value {
  const k = x.shape[x.rank - 1];
  if (typeof k !== 'number') throw new Error('normalizeLastAxis needs a static last axis');
  const ones = x.graph.constant(typedArrayOf(x.dtype, new Array<number>(k).fill(1)), x.dtype, [k]);
  return x.graph.apply(LayerNormalization, [x, ones], { epsilon: eps })[0];
}

/** GroupNorm of x [N, C, H, W] over `groups` groups of C / groups channels; scale, bias [C]. */
export function groupNorm(x: Value, groups: number, scale: Value, bias: Value, eps = GROUP_NORM_EPS): Value {
  if (x.rank !== 4) throw new Error(`groupNorm needs NCHW input, got [${x.shape}]`);
  const [, c, h, w] = x.shape;
  if (typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number') throw new Error('groupNorm needs static C, H, W');
  if (c % groups !== 0) throw new Error(`groupNorm: ${c} channels do not split into ${groups} groups`);
  const normed = reshape(normalizeLastAxis(reshape(x, [0, groups, (c / groups) * h * w]), eps), [0, c, h, w]);
  return add(mul(normed, reshape(scale, [c, 1, 1])), reshape(bias, [c, 1, 1]));
}
