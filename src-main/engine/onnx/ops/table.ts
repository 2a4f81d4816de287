/**
 * The op table: every op FlowLab emits, by name, each declared once in its file with its ONNX
 * form, typed attributes, shape rule and gradient rule. The finite-difference test
 * (test/unit/engine/onnx/ops.test.ts) holds a row for every entry that has a gradient rule.
 */
import { Identity, type OpDef } from '../graph.js';
import { Abs, Add, Cos, Div, Erf, Exp, Floor, Log, Mul, Neg, Pow, Reciprocal, Relu, Sigmoid, SiluMul, Sign, Sin, Sqrt, Sub, Tanh } from './elementwise.js';
import { Cast, Concat, Expand, Gather, Pad, Reshape, ShapeOp, Slice, Squeeze, Transpose, Unsqueeze, Where } from './shape.js';
import { ReduceMax, ReduceMean, ReduceSum, ReduceSumSquare } from './reduce.js';
import { Gemm, MatMul } from './linalg.js';
import { BitShift, BitwiseAnd, BitwiseXor, Equal, Greater, Less, Mod } from './integer.js';
import { Loop } from './control.js';
import { Conv, ConvTranspose, NchwcConv, Resize } from './conv.js';
import { ReorderInput, ReorderOutput } from './nchwc.js';
import { LayerNormalization, LogSoftmax, Softmax } from './nn.js';

export const OPS = {
  // elementwise math
  Add, Sub, Mul, Div, Pow, Neg, Exp, Log, Sqrt, Reciprocal, Sin, Cos, Tanh, Sigmoid, Erf, Abs, Sign, Floor, Relu,
  /** SiLU's product x sigmoid(x), with the whole SiLU derivative in one rule (ONNX Mul). */
  SiluMul,
  // shapes and data movement
  Identity, Shape: ShapeOp, Reshape, Expand, Transpose, Unsqueeze, Squeeze, Concat, Slice, Pad, Where, Cast, Gather,
  // reductions
  ReduceSum, ReduceMean, ReduceSumSquare, ReduceMax,
  // products
  MatMul, Gemm,
  // images and attention
  Conv, ConvTranspose, Resize, Softmax, LayerNormalization,
  // ONNX Runtime's blocked-layout Conv (CPU provider only; see nchwc.ts)
  NchwcConv, ReorderInput, ReorderOutput,
  // classification losses
  LogSoftmax,
  // integers, comparisons, control flow (no gradients)
  Greater, Less, Equal, BitShift, BitwiseXor, BitwiseAnd, Mod, Loop,
} satisfies Record<string, OpDef<never>>;

export type OpName = keyof typeof OPS;
