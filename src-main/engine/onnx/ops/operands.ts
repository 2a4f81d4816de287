/**
 * Shared machinery for op declarations: operands that may be plain numbers and elementwise
 * shape inference. This file imports no other op file, so the op files form no import cycle.
 */
import { broadcastShapes, graphOf, type DType, type OpDef, type OutSpec, type Shape, type Value } from '../graph.js';

export type Operand = Value | number;

/** Turns numbers into scalar constants of the dtype of the Value operands, in their graph. */
export function operands(...xs: Operand[]): Value[] {
  const vals = xs.filter((x): x is Value => typeof x !== 'number');
  if (vals.length === 0) throw new Error('at least one operand must be a Value');
  const g = graphOf(vals);
  const dtype = vals[0].dtype;
  return xs.map((x) => (typeof x === 'number' ? g.scalar(x, dtype) : x));
}

/** Applies a single-output op in the innermost graph of its inputs. */
export function apply1<A>(def: OpDef<A>, inputs: (Value | null)[], attrs: A): Value {
  return graphOf(inputs).apply(def, inputs, attrs)[0];
}

export function elementwiseInfer(outDtype?: DType) {
  return (inputs: (Value | null)[]): OutSpec[] => {
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

export function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}
