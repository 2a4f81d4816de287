/**
 * 2-D convolution on NCHW images and its relatives, with their gradient rules. A Conv with
 * weights w [M, C/group, kh, kw], strides s, pads [top, left, bottom, right] is a linear map
 * y = A_w x (plus a bias per output channel); its rules are
 *   dx = A_w^T g        = Conv(g, w~) at stride 1, w~[c, m, i, j] = w[m, c, kh-1-i, kw-1-j]
 *                         (the kernel flipped and its channel axes swapped), pads k-1-p;
 *                         otherwise ConvTranspose(g, w) with the same strides, pads and group
 *                         (an output_padding restores rows and columns a stride > 1 dropped)
 *   dw[m, c, i, j]      = sum_{n, oh, ow} g[n, m, oh, ow] xpad[n, c, s oh + i, s ow + j]
 *                       = per image, a GEMM of g against x's patches (weightGradFromPatches),
 *                         or on small images in the blocked layout a Conv over the batch axis
 *                         with g as the kernel (weightGradOverBatch)
 *   db                  = sum of g over N, OH, OW
 * conv2d writes a Conv in ONNX Runtime's blocked CPU layout (NchwcConv, see nchwc.ts) when a
 * program is built under withConvChannelBlock and the channel counts fit the block.
 * ConvTranspose is A_w^T itself: dx = A_w g = Conv(g, w), dw = the same weight gradient with the
 * roles of input and cotangent swapped (<A_w^T x, g> = <x, A_w g>).
 * Resize (nearest, integer factor s): y[.., i, j] = x[.., floor(i / s), floor(j / s)], whose
 * adjoint sums each s x s block of g (sum-pooling).
 */
import { typedArrayOf, type Dim, type OpDef, type Value } from '../graph.js';
import { apply1 } from './operands.js';
import { concat, reshape, slice, transpose } from './shape.js';
import { matmul } from './linalg.js';
import { reduceSum } from './reduce.js';
import { blockFor, blockForChannels, blockKernel, reorderInput, reorderOutput } from './nchwc.js';

export interface ConvAttrs {
  strides: [number, number];
  /** [top, left, bottom, right], ONNX's [x1_begin, x2_begin, x1_end, x2_end]. */
  pads: [number, number, number, number];
  dilations: [number, number];
  group: number;
}

export interface ConvTransposeAttrs extends ConvAttrs {
  /** Extra rows and columns at the bottom and right of the output. */
  outputPadding: [number, number];
}

const onnxConv = (a: ConvAttrs) => ({ strides: a.strides, pads: a.pads, dilations: a.dilations, group: a.group });

function staticDim(d: Dim, what: string): number {
  if (typeof d !== 'number') throw new Error(`${what} needs static image sizes, got '${d}'`);
  return d;
}

/** Output size of a convolution along one axis. */
function convOut(size: number, k: number, stride: number, padBegin: number, padEnd: number, dilation: number): number {
  return Math.floor((size + padBegin + padEnd - (dilation * (k - 1) + 1)) / stride) + 1;
}

function checkConv(x: Value, w: Value, what: string): void {
  if (x.rank !== 4 || w.rank !== 4) throw new Error(`${what} needs NCHW input and a rank-4 kernel, got [${x.shape}] and [${w.shape}]`);
}

export const Conv: OpDef<ConvAttrs> = {
  op: 'Conv',
  infer: ([x, w], a) => {
    checkConv(x!, w!, 'Conv');
    const [, c, h, wd] = x!.shape;
    const [m, cg] = w!.shape;
    const [kh, kw] = w!.shape.slice(2).map((d) => staticDim(d, 'Conv kernel'));
    if (typeof c === 'number' && typeof cg === 'number' && c !== cg * a.group) throw new Error(`Conv: input has ${c} channels, kernel expects ${cg} x group ${a.group}`);
    const oh = convOut(staticDim(h, 'Conv'), kh, a.strides[0], a.pads[0], a.pads[2], a.dilations[0]);
    const ow = convOut(staticDim(wd, 'Conv'), kw, a.strides[1], a.pads[1], a.pads[3], a.dilations[1]);
    return [{ dtype: x!.dtype, shape: [x!.shape[0], m, oh, ow] }];
  },
  onnx: onnxConv,
  grad: (n, [g]) => {
    const [x, w, b] = n.inputs;
    return convGrads(x!, w!, b, g!, n.attrs);
  },
};

/** dx, dw, db of y = Conv(x, w) + b for the cotangent g (see the head of this file). */
function convGrads(x: Value, w: Value, b: Value | null, g: Value, a: ConvAttrs): (Value | null)[] {
  const dx = inputGradAsConv(a, w) ? conv2d(g, flipKernel(w), { pads: inputGradPads(a, w) }) : convTransposeTo(g, w, a, x);
  return [dx, weightGrad(x, g, w, a), b ? reduceSum(g, [0, 2, 3]) : null];
}

/**
 * Conv in ONNX Runtime's blocked layout (nchwc.ts): inputs ReorderInput(x), blockKernel(w), b.
 * Its attributes keep the plain-layout x and w, so the rule is Conv's on them, with dx and dw
 * put back into the blocked layout (dx's reorder cancels against the ReorderInput it flows into).
 */
export const NchwcConv: OpDef<ConvAttrs & { x: Value; w: Value; block: number }> = {
  op: 'Conv',
  domain: 'com.microsoft.nchwc',
  infer: ([xb, wb, b], a) => Conv.infer([xb, wb, b ?? null], a),
  onnx: onnxConv,
  grad: (n, [g]) => {
    const m = n.outputs[0].shape[1] as number;
    const [dx, dw, db] = convGrads(n.attrs.x, n.attrs.w, n.inputs[2] ?? null, reorderOutput(g!, m), n.attrs);
    return [reorderInput(dx!), blockKernel(dw!, n.attrs.block), db];
  },
};

export const ConvTranspose: OpDef<ConvTransposeAttrs> = {
  op: 'ConvTranspose',
  infer: ([x, w], a) => {
    checkConv(x!, w!, 'ConvTranspose');
    const [cin, mg] = w!.shape;
    const [kh, kw] = w!.shape.slice(2).map((d) => staticDim(d, 'ConvTranspose kernel'));
    if (typeof mg !== 'number') throw new Error('ConvTranspose needs a static kernel');
    if (typeof x!.shape[1] === 'number' && typeof cin === 'number' && x!.shape[1] !== cin) throw new Error(`ConvTranspose: input has ${x!.shape[1]} channels, kernel expects ${cin}`);
    const size = (d: Dim, k: number, i: 0 | 1) =>
      a.strides[i] * (staticDim(d, 'ConvTranspose') - 1) + a.outputPadding[i] + a.dilations[i] * (k - 1) + 1 - a.pads[i] - a.pads[i + 2];
    return [{ dtype: x!.dtype, shape: [x!.shape[0], mg * a.group, size(x!.shape[2], kh, 0), size(x!.shape[3], kw, 1)] }];
  },
  onnx: (a) => ({ ...onnxConv(a), output_padding: a.outputPadding }),
  grad: (n, [g]) => {
    const [x, w] = n.inputs as Value[];
    const { outputPadding: _, ...conv } = n.attrs;
    return [conv2d(g!, w, conv), weightGrad(g!, x, w, conv)];
  },
};

/** Conv(x, w) + b (b [M] optional); `pad` on every side, one group unless given. */
export function conv2d(x: Value, w: Value, opts: Partial<ConvAttrs> & { bias?: Value; pad?: number; stride?: number } = {}): Value {
  const s = opts.stride ?? 1;
  const p = opts.pad ?? 0;
  const attrs: ConvAttrs = {
    strides: opts.strides ?? [s, s],
    pads: opts.pads ?? [p, p, p, p],
    dilations: opts.dilations ?? [1, 1],
    group: opts.group ?? 1,
  };
  const block = blockFor(x, w, attrs.group, attrs.dilations);
  if (block > 0) {
    const inputs = [reorderInput(x), blockKernel(w, block), ...(opts.bias ? [opts.bias] : [])];
    return reorderOutput(apply1(NchwcConv, inputs, { ...attrs, x, w, block }), w.shape[0] as number);
  }
  return apply1(Conv, opts.bias ? [x, w, opts.bias] : [x, w], attrs);
}

/**
 * Whether dx = A_w^T g can be a plain Conv: stride 1, no dilation, one group and pads that fit in
 * the kernel. ONNX Runtime's CPU ConvTranspose runs a GEMM and a col2im per image; its Conv is
 * the better kernel: for 64 images 28x28, 32 to 32 channels, 96 ms against 246 ms.
 */
function inputGradAsConv(a: ConvAttrs, w: Value): boolean {
  const [kh, kw] = w.staticShape().slice(2);
  const unit = (xs: number[]) => xs.every((v) => v === 1);
  return unit(a.strides) && unit(a.dilations) && a.group === 1 && a.pads.every((p, i) => p <= (i % 2 === 0 ? kh : kw) - 1);
}

function inputGradPads(a: ConvAttrs, w: Value): [number, number, number, number] {
  const [kh, kw] = w.staticShape().slice(2);
  const [pt, pl, pb, pr] = a.pads;
  return [kh - 1 - pt, kw - 1 - pl, kh - 1 - pb, kw - 1 - pr];
}

/**
 * w~[c, m, i, j] = w[m, c, kh-1-i, kw-1-j]: channel axes swapped, the kernel reversed by a product
 * with the reversal permutation (a differentiable op, on a tensor of weights, not activations).
 */
function flipKernel(w: Value): Value {
  const [m, c, kh, kw] = w.staticShape();
  const k = kh * kw;
  const rev = new Float32Array(k * k);
  for (let i = 0; i < k; i++) rev[i * k + (k - 1 - i)] = 1;
  const flat = reshape(transpose(w, [1, 0, 2, 3]), [c, m, k]);
  return k === 1 ? reshape(flat, [c, m, kh, kw]) : reshape(matmul(flat, w.graph.constant(typedArrayOf(w.dtype, Array.from(rev)), w.dtype, [k, k])), [c, m, kh, kw]);
}

/** A_w^T g sized like `like` (the Conv's input): ConvTranspose with the output_padding that makes up the rows a stride dropped. */
function convTransposeTo(g: Value, w: Value, a: ConvAttrs, like: Value): Value {
  const [kh, kw] = w.staticShape().slice(2);
  const full = (i: 0 | 1, k: number) => a.strides[i] * ((g.shape[2 + i] as number) - 1) + a.dilations[i] * (k - 1) + 1 - a.pads[i] - a.pads[i + 2];
  const outputPadding: [number, number] = [(like.shape[2] as number) - full(0, kh), (like.shape[3] as number) - full(1, kw)];
  return apply1(ConvTranspose, [g, w], { ...a, outputPadding });
}

/**
 * Images of at most this many pixels take their weight gradient as a blocked Conv over the batch
 * axis when one fits (weightGradOverBatch): 34 against 80 ms at 7x7 (64 images, 128 to 64
 * channels), even at 14x14 (113 against 115) and slower at 28x28 (152 against 103).
 */
const OVER_BATCH_MAX_PIXELS = 49;

/** dw for y = Conv(x, w) with cotangent g, one group at a time. */
function weightGrad(x: Value, g: Value, w: Value, a: ConvAttrs): Value {
  const [m, cg] = w.staticShape();
  if (a.dilations[0] !== 1 || a.dilations[1] !== 1) throw new Error('Conv weight gradient: dilated kernels are not supported');
  if (overBatchFits(x, g, a)) return weightGradOverBatch(x, g, a);
  const mg = m / a.group;
  const perGroup: Value[] = [];
  for (let k = 0; k < a.group; k++) {
    const xk = a.group === 1 ? x : slice(x, [k * cg], [(k + 1) * cg], [1]);
    const gk = a.group === 1 ? g : slice(g, [k * mg], [(k + 1) * mg], [1]);
    perGroup.push(weightGradFromPatches(xk, gk, w, a));
  }
  return perGroup.length === 1 ? perGroup[0] : concat(perGroup, 0);
}

function overBatchFits(x: Value, g: Value, a: ConvAttrs): boolean {
  const pixels = (g.shape[2] as number) * (g.shape[3] as number);
  const unit = a.strides.every((s) => s === 1);
  // As a Conv: input x^T [C, N, H, W], kernel g^T [M, N, OH, OW]; blocked when N and M fit the block.
  return unit && a.group === 1 && pixels <= OVER_BATCH_MAX_PIXELS && blockForChannels(x.dtype, x.shape[0], g.shape[1]) > 0;
}

/**
 * dw[m, c, i, j] = sum_{n, p} g[n, m, p] xpad[n, c, p + (i, j)]: a Conv whose batch is x's
 * channels, whose channels are the images, with g as the kernel (stride 1; blocked layout only,
 * where ONNX Runtime convolves directly instead of through an im2col of a whole image per tap).
 */
function weightGradOverBatch(x: Value, g: Value, a: ConvAttrs): Value {
  return transposeNC(conv2d(transposeNC(x), transposeNC(g), { pads: a.pads }));
}

const transposeNC = (v: Value) => transpose(v, [1, 0, 2, 3]);

/**
 * dw [M, C kh kw] = sum_n g[n] [M, OH OW] patches[n]^T, where patches[n] [C kh kw, OH OW] holds
 * the kh kw windows of each channel of image n that the forward Conv read (same strides and
 * pads). The patches come from one Conv whose kernel is one-hot (group C, kh kw outputs per
 * channel: output c kh kw + t is tap t of channel c), the products are one batched MatMul, and
 * the images are summed last. For a 3x3 conv of 32 to 32 channels on 64 28x28 images this took
 * 105 ms against 286 ms for im2col written as Slices and one Concat, 236 ms for nine products on
 * shifted windows and 309 ms for nine on shifted rows of the flattened padded image
 * (bench/flowlab/convGrad.ts); a Conv over the batch axis (g as the kernel) measured 231 ms
 * against 73 ms for the Slices + Concat earlier. A 1x1 kernel at stride 1 needs no patches.
 */
function weightGradFromPatches(x: Value, g: Value, w: Value, a: ConvAttrs): Value {
  const [, c, kh, kw] = w.staticShape();
  const [m, oh, ow] = [g.shape[1] as number, g.shape[2] as number, g.shape[3] as number];
  const n = x.shape[0];
  if (typeof n !== 'number') throw new Error('Conv weight gradient needs a static batch size');
  const taps = kh * kw;
  let patches = x;
  if (taps > 1 || a.pads.some((p) => p !== 0) || a.strides.some((s) => s !== 1)) {
    const oneHot = new Array<number>(c * taps * taps).fill(0);
    for (let r = 0; r < c * taps; r++) oneHot[r * taps + (r % taps)] = 1;
    const kernel = x.graph.constant(typedArrayOf(x.dtype, oneHot), x.dtype, [c * taps, 1, kh, kw]);
    patches = apply1(Conv, [x, kernel], { strides: a.strides, pads: a.pads, dilations: [1, 1], group: c });
  }
  const perImage = matmul(reshape(g, [n, m, oh * ow]), transpose(reshape(patches, [n, c * taps, oh * ow]), [0, 2, 1]));
  return reshape(reduceSum(perImage, [0]), [m, c, kh, kw]);
}

export const Resize: OpDef<{ scale: number }> = {
  op: 'Resize',
  infer: ([x], a) => {
    if (x!.rank !== 4) throw new Error(`Resize (nearest upsampling) needs NCHW input, got [${x!.shape}]`);
    const [n, c, h, w] = x!.shape;
    return [{ dtype: x!.dtype, shape: [n, c, staticDim(h, 'Resize') * a.scale, staticDim(w, 'Resize') * a.scale] }];
  },
  // asymmetric + floor: source index = floor(i / scale), exactly a block copy.
  onnx: () => ({ mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }),
  grad: (n, [g]) => {
    const [, , h, w] = n.inputs[0]!.shape as number[];
    const s = n.attrs.scale;
    return [reduceSum(reshape(g!, [0, 0, h, s, w, s]), [3, 5]), null, null];
  },
};

/** Nearest-neighbour upsampling of [N, C, H, W] by an integer factor (2: each pixel becomes a 2x2 block). */
export function upsampleNearest(x: Value, scale = 2): Value {
  const scales = x.graph.constant(Float32Array.from([1, 1, scale, scale]), 'float32', [4]);
  return apply1(Resize, [x, null, scales], { scale });
}
