/**
 * Shared machinery for op declarations: operands that may be plain numbers, elementwise shape
 * inference, and `unbroadcast`, which undoes numpy broadcasting in every gradient rule (sum the
 * cotangent over the axes that broadcasting stretched).
 */
import { broadcastShapes, graphOf, isFloat, typedArrayOf, type Attrs, type DType, type OpDef, type Shape, type Value } from '../graph.js';
import { reduceSum } from './reduce.js';
import { reshapeLike } from './shape.js';
import { matmul } from './linalg.js';

export type Operand = Value | number;

/** Turns numbers into scalar constants of the dtype of the Value operands, in their graph. */
export function operands(...xs: Operand[]): Value[] {
  const vals = xs.filter((x): x is Value => typeof x !== 'number');
  if (vals.length === 0) throw new Error('at least one operand must be a Value');
  const g = graphOf(vals);
  const dtype = vals[0].dtype;
  return xs.map((x) => (typeof x === 'number' ? g.scalar(x, dtype) : x));
}

export function apply1(def: OpDef, inputs: (Value | null)[], attrs: Attrs = {}): Value {
  return graphOf(inputs).apply(def, inputs, attrs)[0];
}

export function elementwiseInfer(outDtype?: DType) {
  return (inputs: (Value | null)[]) => {
    const vs = inputs.filter((v): v is Value => v !== null);
    for (const v of vs) {
      if (v.dtype !== vs[0].dtype && outDtype === undefined) {
        throw new Error(`elementwise op on mixed dtypes ${vs.map((x) => x.dtype).join(', ')}`);
      }
    }
    let shape: Shape = vs[0].shape;
    for (const v of vs.slice(1)) shape = broadcastShapes(shape, v.shape);
    return [{ dtype: outDtype ?? vs[0].dtype, shape }];
  };
}

/**
 * Sums a cotangent `g` (shaped like a broadcast result) back to the shape of `target`:
 * leading axes that broadcasting added are summed away, axes where target has size 1 are summed
 * with keepdims.
 */
export function unbroadcast(g: Value, target: Value): Value {
  const gs = g.shape;
  const ts = target.shape;
  if (gs.length === ts.length && gs.every((d, i) => d === ts[i])) return g;
  const lead = gs.length - ts.length;
  if (g.rank === 2 && lead === 1 && typeof gs[0] === 'number' && isFloat(g.dtype)) {
    // Bias gradients: a row of ones times g is a GEMV, several times faster in ONNX Runtime
    // than ReduceSum over the strided leading axis.
    const ones = g.graph.constant(typedArrayOf(g.dtype, new Array<number>(gs[0]).fill(1)), g.dtype, [1, gs[0]]);
    return reshapeLike(matmul(ones, g), target);
  }
  let out = g;
  if (lead > 0) out = reduceSum(out, range(lead), false);
  const keep: number[] = [];
  for (let i = 0; i < ts.length; i++) if (ts[i] === 1 && out.shape[i] !== 1) keep.push(i);
  if (keep.length) out = reduceSum(out, keep, true);
  if (out.shape.length !== ts.length) out = reshapeLike(out, target);
  return out;
}

export function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}
