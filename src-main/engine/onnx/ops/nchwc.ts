/**
 * Conv on ONNX Runtime's CPU provider in its blocked layout (NCHWc: channels in blocks of B, 16
 * with AVX-512 and 8 with AVX2, innermost). ONNX Runtime rewrites a Conv into its fast
 * com.microsoft.nchwc.Conv only when the kernel is a constant; a trained kernel is an input, so
 * FlowLab writes the blocked form itself:
 *   y = ReorderOutput(NchwcConv(ReorderInput(x), block(w), b))
 * block(w) = w [M, C, kh, kw] as [M/B, C/B, kh, kw, B(in), B(out)] (MLAS's OIHWBiBo), one
 * Reshape-Transpose-Reshape of the kernel. The reorders are a permutation and its inverse, each
 * the other's gradient; a reorder of a reorder cancels at build time, so the gradient of a
 * blocked Conv meets the plain-layout cotangent and the plain-layout x and w, and the
 * NchwcConv's rule is Conv's (see conv.ts), its results put back into the blocked layout.
 * Programs that contain these ops run only on ONNX Runtime's CPU provider. NchwcConv itself is
 * declared in conv.ts, beside the Conv rules it reuses.
 */
import type { Dim, OpDef, Value } from '../graph.js';
import { apply1 } from './operands.js';
import { reshape, transpose } from './shape.js';

const NCHWC = 'com.microsoft.nchwc';

let channelBlock = 0;

/**
 * Builds the Convs that `fn` makes (and their gradients) in the blocked layout with channel
 * block `b` (what `cpuChannelBlock()` in runtime.ts measured; 0: plain Conv).
 */
export function withConvChannelBlock<T>(b: number, fn: () => T): T {
  const before = channelBlock;
  channelBlock = b;
  try {
    return fn();
  } finally {
    channelBlock = before;
  }
}

/** The channel block a Conv from x [N, C, ...] with kernel [M, C, ...] and `group` gets, or 0 for a plain Conv. */
export function blockFor(x: Value, w: Value, group: number, dilations: number[]): number {
  if (group !== 1 || dilations.some((d) => d !== 1)) return 0;
  return blockForChannels(x.dtype, w.shape[1], w.shape[0]);
}

/** The channel block of a one-group, undilated Conv of `inputs` to `outputs` channels, or 0. */
export function blockForChannels(dtype: string, inputs: Dim, outputs: Dim): number {
  const b = channelBlock;
  if (b === 0 || dtype !== 'float32' || typeof inputs !== 'number' || typeof outputs !== 'number') return 0;
  return inputs % b === 0 && outputs % b === 0 ? b : 0;
}

export const ReorderInput: OpDef<{ channels: number }> = {
  op: 'ReorderInput',
  domain: NCHWC,
  infer: ([x]) => [{ dtype: x!.dtype, shape: x!.shape }],
  grad: (n, [g]) => [reorderOutput(g!, n.attrs.channels)],
};

export const ReorderOutput: OpDef<{ channels: number }> = {
  op: 'ReorderOutput',
  domain: NCHWC,
  infer: ([x], a) => [{ dtype: x!.dtype, shape: [x!.shape[0], a.channels, x!.shape[2], x!.shape[3]] }],
  onnx: (a) => ({ channels: a.channels }),
  grad: (_n, [g]) => [reorderInput(g!)],
};

/** x [N, C, H, W] in the blocked layout (C a multiple of the block); undoes a ReorderOutput. */
export function reorderInput(x: Value): Value {
  if (x.node?.def === ReorderOutput) return x.node.inputs[0]!;
  return apply1(ReorderInput, [x], { channels: x.shape[1] as number });
}

/** A blocked x back in NCHW; undoes a ReorderInput. */
export function reorderOutput(x: Value, channels: number): Value {
  if (x.node?.def === ReorderInput) return x.node.inputs[0]!;
  return apply1(ReorderOutput, [x], { channels });
}

/** w [M, C, kh, kw] in MLAS's OIHWBiBo order, shaped [M, C, kh, kw] as ONNX Runtime expects. */
export function blockKernel(w: Value, b: number): Value {
  const [m, c, kh, kw] = w.staticShape();
  return reshape(transpose(reshape(w, [m / b, b, c / b, b, kh, kw]), [0, 2, 4, 5, 3, 1]), [m, c, kh, kw]);
}
