/**
 * Network layers beyond single elementwise ops:
 *   Softmax(axis)   y = exp(x) / sum exp(x),  dx = y (g - sum(g y, axis))
 *   LogSoftmax(axis) y = x - max x - log sum exp(x - max x) (ONNX Runtime's stable kernel),
 *                   dx = g - exp(y) sum(g, axis)
 *   softmaxCrossEntropy  a composite: -mean over rows of sum(onehot * LogSoftmax(logits))
 *   groupNorm       a composite of Reshape, ReduceMean, Sub, Mul, Sqrt, Reciprocal (its gradient
 *                   comes from theirs): per sample and group of channels,
 *                   y = (x - mean) / sqrt(var + eps) * scale[c] + bias[c]
 */
import { normAxis, type OpDef, type Value } from '../graph.js';
import { apply1 } from './operands.js';
import { add, exp, mul, neg, reciprocal, sqrt, sub } from './elementwise.js';
import { reduceMean, reduceSum } from './reduce.js';
import { reshape } from './shape.js';

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

/** GroupNorm of x [N, C, H, W] over `groups` groups of C / groups channels; scale, bias [C]. */
export function groupNorm(x: Value, groups: number, scale: Value, bias: Value, eps = GROUP_NORM_EPS): Value {
  if (x.rank !== 4) throw new Error(`groupNorm needs NCHW input, got [${x.shape}]`);
  const [, c, h, w] = x.shape;
  if (typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number') throw new Error('groupNorm needs static C, H, W');
  if (c % groups !== 0) throw new Error(`groupNorm: ${c} channels do not split into ${groups} groups`);
  const xr = reshape(x, [0, groups, (c / groups) * h * w]);
  const centred = sub(xr, reduceMean(xr, [2], true));
  const variance = reduceMean(mul(centred, centred), [2], true);
  const normed = reshape(mul(centred, reciprocal(sqrt(add(variance, eps)))), [0, c, h, w]);
  return add(mul(normed, reshape(scale, [c, 1, 1])), reshape(bias, [c, 1, 1]));
}
