import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as op from '../../../../src-main/engine/onnx/ops/index.js';
import type { OpDef, Value } from '../../../../src-main/engine/onnx/graph.js';
import { gradCheck, type GradCheckInput } from '../../../helpers/gradcheck.js';
import { cpuChannelBlock } from '../../../../src-main/engine/onnx/runtime.js';

/** ONNX Runtime's CPU channel block here (0: no blocked-layout kernels; those rows are skipped). */
const BLOCK = await cpuChannelBlock();
const B = BLOCK || 8;
const blocked = (f: () => Value) => op.withConvChannelBlock(BLOCK, f);

/** Float64 central differences agree with exact gradients to ~1e-8; 1e-6 leaves margin. */
const TOL = 1e-6;

/** Float32 differences with h = 1e-2: truncation ~h^2/6, rounding ~1e-7/h. */
const TOL_FLOAT32 = 2e-3;

const M = (...shape: number[]): GradCheckInput => ({ shape });
const POS = (...shape: number[]): GradCheckInput => ({ shape, lo: 0.5, hi: 2 });
const F32 = (...shape: number[]): GradCheckInput => ({ shape, dtype: 'float32' });
const AWAY = (...shape: number[]): GradCheckInput => ({ shape, lo: 0.2, hi: 1.5 });
/** Float32 inputs in [-0.3, 0.3]: sums over many channels stay small, and so does their rounding. */
const SMALL32 = (...shape: number[]): GradCheckInput => ({ shape, dtype: 'float32', lo: -0.3, hi: 0.3 });

const cases: [string, (...xs: Value[]) => Value, GradCheckInput[]][] = [
  ['Add (with broadcasting [3,4] + [4])', (a, b) => op.add(a, b), [M(3, 4), M(4)]],
  ['Sub (with broadcasting [3,1] - [1,4])', (a, b) => op.sub(a, b), [M(3, 1), M(1, 4)]],
  ['Mul (with broadcasting [2,3,4] * [3,1])', (a, b) => op.mul(a, b), [M(2, 3, 4), M(3, 1)]],
  ['Div', (a, b) => op.div(a, b), [M(3, 4), POS(3, 4)]],
  ['Pow (both operands)', (a, b) => op.pow(a, b), [POS(3, 2), M(3, 2)]],
  ['Pow (constant exponent)', (a) => op.pow(a, 3), [POS(4)]],
  ['Neg', (a) => op.neg(a), [M(5)]],
  ['Exp', (a) => op.exp(a), [M(2, 3)]],
  ['Log', (a) => op.log(a), [POS(2, 3)]],
  ['Sqrt', (a) => op.sqrt(a), [POS(2, 3)]],
  ['Reciprocal', (a) => op.reciprocal(a), [POS(2, 3)]],
  ['Sin', (a) => op.sin(a), [M(2, 3)]],
  ['Cos', (a) => op.cos(a), [M(2, 3)]],
  ['Tanh', (a) => op.tanh(a), [M(2, 3)]],
  ['Sigmoid', (a) => op.sigmoid(a), [M(2, 3)]],
  ['Erf (float32: ONNX Runtime has no float64 Erf)', (a) => op.erf(a), [F32(2, 3)]],
  ['Abs', (a) => op.abs(op.sub(a, 0.8)), [AWAY(6)]],
  ['Relu', (a) => op.relu(op.sub(a, 0.8)), [AWAY(6)]],
  ['SiluMul (SiLU, x sigmoid(x))', (a) => op.silu(a), [M(2, 5)]],
  ['GELU (float32)', (a) => op.gelu(a), [F32(2, 5)]],
  ['maximum', (a, b) => op.maximum(a, b), [M(6), { shape: [6], lo: 2, hi: 3 }]],
  ['MatMul 2-D', (a, b) => op.matmul(a, b), [M(3, 4), M(4, 2)]],
  ['MatMul batched with broadcast [2,3,4] x [4,5]', (a, b) => op.matmul(a, b), [M(2, 3, 4), M(4, 5)]],
  ['Gemm (bias broadcast over rows)', (a, b, c) => op.gemm(a, b, c), [M(3, 4), M(4, 2), M(2)]],
  // Thin products (few output columns) take their weight gradient transposed: (g^T a)^T.
  ['MatMul with a thin weight gradient [6,16] x [16,2]', (a, b) => op.matmul(a, b), [M(6, 16), M(16, 2)]],
  ['Gemm with a thin weight gradient [5,12] x [12,1] + [1]', (a, b, c) => op.gemm(a, b, c), [M(5, 12), M(12, 1), M(1)]],
  ['ReduceSum over an axis', (a) => op.reduceSum(a, [1]), [M(3, 4)]],
  ['ReduceSum keepdims over two axes', (a) => op.reduceSum(a, [0, 2], true), [M(2, 3, 4)]],
  ['ReduceMean', (a) => op.reduceMean(a, [0]), [M(3, 4)]],
  ['ReduceSumSquare', (a) => op.reduceSumSquare(a, [1], true), [M(3, 4)]],
  ['Reshape', (a) => op.mul(op.reshape(a, [4, 3]), op.reshape(a, [4, -1])), [M(3, 4)]],
  ['Reshape keeping a dimension (0)', (a) => op.mul(op.reshape(a, [0, 6]), op.reshape(a, [2, 6])), [M(2, 3, 2)]],
  ['Transpose', (a) => op.transpose(a, [1, 2, 0]), [M(2, 3, 4)]],
  ['Expand', (a) => op.expand(a, [3, 4]), [M(1, 4)]],
  ['Concat', (a, b) => op.concat([a, b, a], 1), [M(2, 3), M(2, 2)]],
  ['Slice', (a) => op.slice(a, [1, 0], [3, -1], [0, 1]), [M(4, 5)]],
  ['Pad', (a) => op.pad(a, [1, 0, 2, 1]), [M(2, 3)]],
  ['Unsqueeze', (a) => op.unsqueeze(a, [0, 2]), [M(3, 2)]],
  ['Squeeze', (a) => op.squeeze(a, [1, 3]), [M(3, 1, 2, 1)]],
  ['Where (with broadcasting)', (c, a, b) => op.where(op.greater(c, 0), a, b), [{ shape: [3, 4], constant: true }, M(3, 4), M(4)]],
  ['Cast float32 -> float64 -> float32', (a) => op.cast(op.mul(op.cast(a, 'float64'), 2), 'float32'), [F32(4)]],
  ['Identity', (a) => op.identity(a), [M(3)]],
  // Images and attention. ONNX Runtime's CPU Conv, ConvTranspose and Resize are float32 only.
  ['Conv 3x3 stride 1 pad 1 with bias', (x, w, b) => op.conv2d(x, w, { pad: 1, bias: b }), [F32(2, 3, 5, 5), F32(4, 3, 3, 3), F32(4)]],
  ['Conv 3x3 stride 2 pad 1 (downsampling an even size)', (x, w) => op.conv2d(x, w, { pad: 1, stride: 2 }), [F32(2, 3, 6, 6), F32(2, 3, 3, 3)]],
  ['Conv 3x3 stride 2 pad 1 on an odd size (the last row is never read)', (x, w) => op.conv2d(x, w, { pad: 1, stride: 2 }), [F32(1, 2, 5, 4), F32(3, 2, 3, 3)]],
  ['Conv 2x3 kernel, uneven pads [0, 1, 1, 2] (dx as a Conv with the flipped kernel)', (x, w, b) => op.conv2d(x, w, { pads: [0, 1, 1, 2], bias: b }), [F32(2, 3, 4, 5), F32(2, 3, 2, 3), F32(2)]],
  ['Conv 1x1', (x, w, b) => op.conv2d(x, w, { bias: b }), [F32(2, 4, 3, 3), F32(3, 4, 1, 1), F32(3)]],
  ['Conv grouped (2 groups, 3x3 pad 1)', (x, w) => op.conv2d(x, w, { pad: 1, group: 2 }), [F32(1, 4, 4, 4), F32(6, 2, 3, 3)]],
  ['ConvTranspose stride 2', (x, w) => x.graph.apply(op.ConvTranspose, [x, w], { strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1, outputPadding: [1, 1] })[0], [F32(1, 3, 3, 3), F32(3, 2, 3, 3)]],
  // The blocked layout (nchwc.ts): Conv, its input gradient (also a blocked Conv) and weight gradient.
  ['NchwcConv 3x3 pad 1 with bias (blocked layout)', (x, w, b) => blocked(() => op.conv2d(x, w, { pad: 1, bias: b })), [F32(2, B, 4, 4), F32(B, B, 3, 3), F32(B)]],
  ['NchwcConv 3x3 stride 2 chained into a second one (the reorders between cancel)', (x, w, v) => blocked(() => op.conv2d(op.conv2d(x, w, { pad: 1, stride: 2 }), v, { pad: 1 })), [SMALL32(1, B, 4, 4), SMALL32(B, B, 3, 3), SMALL32(B, B, 3, 3)]],
  ['NchwcConv on small images: the weight gradient is a blocked Conv over the batch axis', (x, w) => blocked(() => op.conv2d(x, w, { pad: 1 })), [SMALL32(B, B, 4, 4), SMALL32(B, B, 3, 3)]],
  ['ReorderInput (NCHW to blocked)', (x) => op.reorderInput(x), [F32(1, 2 * B, 2, 3)]],
  ['ReorderOutput (blocked to NCHW)', (x) => op.reorderOutput(x, 2 * B), [F32(1, 2 * B, 3, 2)]],
  ['Resize (nearest 2x upsampling)', (x) => op.upsampleNearest(x), [F32(2, 3, 3, 4)]],
  ['Softmax over the last axis', (x) => op.softmax(x), [M(2, 3, 5)]],
  ['LogSoftmax over the last axis', (x) => op.logSoftmax(x), [M(2, 3, 5)]],
  ['LogSoftmax over a middle axis, with logits of size 30 (no overflow)', (x) => op.logSoftmax(op.mul(x, 30), 1), [M(2, 4, 3)]],
  ['MatMul rank 4 with batch broadcasting [2,1,3,4] x [3,4,2]', (a, b) => op.matmul(a, b), [M(2, 1, 3, 4), M(3, 4, 2)]],
  ['Transpose NCHW -> NHWC', (a) => op.transpose(a, [0, 2, 3, 1]), [M(2, 3, 2, 4)]],
  ['Concat on the channel axis (a skip connection)', (a, b) => op.concat([a, b], 1), [M(2, 3, 2, 2), M(2, 1, 2, 2)]],
  ['LayerNormalization over the last axis (unit scale, no bias)', (x) => op.normalizeLastAxis(x, 1e-5), [M(2, 3, 5)]],
  ['groupNorm (LayerNormalization + scale and bias: 2 groups of 2 channels, scale and bias per channel)', (x, s, b) => op.groupNorm(x, 2, s, b), [M(2, 4, 3, 3), M(4), M(4)]],
];

const needsBlocks = (name: string) => /^(NchwcConv|Reorder)/.test(name);

for (const [name, f, inputs] of cases) {
  const skip = BLOCK === 0 && needsBlocks(name) ? 'no blocked-layout kernels in this ONNX Runtime build or CPU' : false;
  test(`gradient of ${name} matches central finite differences`, { skip }, async () => {
    const r = await gradCheck(f, inputs);
    assert.ok(r.checked > 0, 'no gradient entries were checked');
    const tol = inputs.some((i) => i.dtype === 'float32') ? TOL_FLOAT32 : TOL;
    assert.ok(r.maxRelErr < tol, `max relative error ${r.maxRelErr} (abs ${r.maxAbsErr}) over ${r.checked} entries`);
  });
}

test('a composite (2-layer MLP with SiLU and a squared-error loss) differentiates correctly', async () => {
  const r = await gradCheck(
    (x, w1, b1, w2) => op.reduceMean(op.square(op.matmul(op.silu(op.add(op.matmul(x, w1), b1)), w2)), [1]),
    [M(5, 3), M(3, 4), M(4), M(4, 2)],
  );
  assert.ok(r.maxRelErr < TOL, `max relative error ${r.maxRelErr}`);
});

test('softmax cross-entropy of one-hot targets differentiates correctly', async () => {
  const target = (g: Value) => g.graph.constant(Float64Array.from([0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0]), 'float64', [3, 4]);
  const r = await gradCheck((x) => op.softmaxCrossEntropy(x, target(x)), [M(3, 4)]);
  assert.ok(r.maxRelErr < TOL, `max relative error ${r.maxRelErr}`);
});

test('every op in the table with a gradient rule has a row in the finite-difference table', () => {
  const rows = new Set(cases.map(([name]) => name.split(' ')[0]));
  const missing = Object.entries(op.OPS).filter(([name, def]) => 'grad' in def && def.grad && !rows.has(name)).map(([name]) => name);
  assert.deepEqual(missing, []);
});

test('the checker catches a wrong gradient rule (Sin with a sign error)', async () => {
  const BadSin: OpDef = { ...op.Sin, grad: (n, [g]) => [op.neg(op.mul(g!, op.cos(n.inputs[0]!)))] };
  const r = await gradCheck((a) => a.graph.apply(BadSin, [a], {})[0], [M(4)]);
  assert.ok(r.maxRelErr > 0.1, `a wrong rule passed with error ${r.maxRelErr}`);
});
