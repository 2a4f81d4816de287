/**
 * Matrix products. MatMul (numpy semantics, rank >= 2 on both sides):
 *   y = a b,  da = g b^T,  db = a^T g   (batch broadcasting undone by `vjp`; a thin db
 *   is taken as (g^T a)^T, see transposedProduct)
 * Gemm (2-D, no transposes): y = a b + c,  da = g b^T,  db = a^T g,  dc = g (summed over rows by `vjp`)
 *   (with a bias row c, db and dc come from one product: [a, 1]^T g)
 */
import { broadcastShapes, typedArrayOf, type NoAttrs, type OpDef, type Value } from '../graph.js';
import { apply1 } from './operands.js';
import { concat, reshape, slice, transpose } from './shape.js';

function swapLast(x: Value): Value {
  const perm = Array.from({ length: x.rank }, (_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

function matmulShape(a: Value, b: Value) {
  if (a.rank < 2 || b.rank < 2) throw new Error(`MatMul needs rank >= 2 operands, got [${a.shape}] and [${b.shape}]`);
  const k1 = a.shape[a.rank - 1];
  const k2 = b.shape[b.rank - 2];
  if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) {
    throw new Error(`MatMul inner dimensions differ: [${a.shape}] x [${b.shape}]`);
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return [...batch, a.shape[a.rank - 2], b.shape[b.rank - 1]];
}

/**
 * a^T g for 2-D a [k, m], g [k, n]: the weight gradient of a layer. ONNX Runtime's CPU GEMM is
 * slow when the product has few columns (an output layer's n = d = 2 measured about 4x slower
 * than the same product taken transposed), so a thin product is formed as (g^T a)^T.
 */
function transposedProduct(a: Value, g: Value): Value {
  const [m, n] = [a.shape[a.rank - 1], g.shape[g.rank - 1]];
  const thin = a.rank === 2 && g.rank === 2 && typeof m === 'number' && typeof n === 'number' && n <= THIN && m >= 8 * n;
  return thin ? transpose(matmul(transpose(g), a)) : matmul(swapLast(a), g);
}
const THIN = 8;

export const MatMul: OpDef<NoAttrs> = {
  op: 'MatMul',
  infer: ([a, b]) => [{ dtype: a!.dtype, shape: matmulShape(a!, b!) }],
  grad: (n, [g]) => {
    const [a, b] = n.inputs as Value[];
    return [matmul(g!, swapLast(b)), transposedProduct(a, g!)];
  },
};

export const matmul = (a: Value, b: Value) => apply1(MatMul, [a, b], {});

export const Gemm: OpDef<NoAttrs> = {
  op: 'Gemm',
  infer: ([a, b, c]) => {
    if (a!.rank !== 2 || b!.rank !== 2) throw new Error('Gemm needs 2-D operands');
    const shape = matmulShape(a!, b!);
    broadcastShapes(shape, c!.shape);
    return [{ dtype: a!.dtype, shape }];
  },
  grad: (n, [g]) => {
    const [a, b, c] = n.inputs as Value[];
    const da = matmul(g!, transpose(b));
    const [rows, k] = a.shape;
    const cols = g!.shape[1];
    if (c.rank === 1 && c.shape[0] === cols && typeof rows === 'number' && typeof k === 'number' && typeof cols === 'number') {
      // A layer's weight and bias gradients from one product, [a, 1]^T g = [a^T g; 1^T g]: the
      // bias row rides along in the GEMM instead of a separate pass over g (a GEMV that ONNX
      // Runtime runs at a fraction of its speed).
      const ones = a.graph.constant(typedArrayOf(a.dtype, new Array<number>(rows).fill(1)), a.dtype, [rows, 1]);
      const both = transposedProduct(concat([a, ones], 1), g!);
      return [da, slice(both, [0], [k], [0]), reshape(slice(both, [k], [k + 1], [0]), [cols])];
    }
    return [da, transposedProduct(a, g!), g];
  },
};

/** a b + c in one kernel (c broadcast over rows, e.g. a bias). */
export const gemm = (a: Value, b: Value, c: Value) => apply1(Gemm, [a, b, c], {});
