/**
 * Reverse-mode differentiation over a recorded graph. The nodes of a graph are kept in creation
 * order, which is a topological order; `vjp` walks them backwards once, asks each op's gradient
 * rule for its inputs' cotangents, and sums contributions where a value feeds several nodes.
 * Broadcasting is undone here, once for every op: a rule may return a cotangent shaped like its
 * broadcast output, and the walk sums it back to the shape of the input edge it flows into.
 * The gradient nodes are appended to the same graph, so the result is itself an ONNX program.
 */
import { isFloat, sameShape, typedArrayOf, type Node, type Value } from './graph.js';
import { add, expand, matmul, reduceSum, reshapeLike, zerosLike } from './ops/index.js';
import { range } from './ops/operands.js';

/**
 * Vector-Jacobian products: given cotangents for `outputs`, returns d<outputs, cotangents>/d wrt
 * for every value in `wrt` (zeros where an output does not depend on it).
 */
export function vjp(outputs: Value[], cotangents: Value[], wrt: Value[]): Value[] {
  if (outputs.length !== cotangents.length) throw new Error('vjp needs one cotangent per output');
  const graph = outputs[0].graph;
  const depends = new Set<Value>(wrt);
  const path: Node[] = [];
  for (const node of graph.nodes.slice()) {
    if (node.inputs.some((i) => i !== null && depends.has(i))) {
      path.push(node);
      for (const o of node.outputs) depends.add(o);
    }
  }
  const grads = new Map<Value, Value>();
  const accumulate = (v: Value, g: Value) => {
    const prev = grads.get(v);
    grads.set(v, prev ? add(prev, g) : g);
  };
  outputs.forEach((o, k) => {
    if (depends.has(o)) accumulate(o, cotangents[k]);
  });
  for (let k = path.length - 1; k >= 0; k--) {
    const node = path[k];
    const gOut = node.outputs.map((o) => grads.get(o) ?? null);
    if (gOut.every((g) => g === null)) continue;
    if (!node.def.grad) throw new Error(`no gradient rule for ONNX op ${node.def.op}`);
    const gIn = node.def.grad(node, gOut);
    node.inputs.forEach((inp, i) => {
      const g = gIn[i];
      if (inp && g && depends.has(inp)) accumulate(inp, unbroadcast(g, inp));
    });
  }
  return wrt.map((w) => grads.get(w) ?? zerosLike(w));
}

/** d loss / d wrt for a scalar loss. */
export function grad(loss: Value, wrt: Value[]): Value[] {
  if (loss.size !== 1) throw new Error(`grad needs a scalar loss, got shape [${loss.shape}]`);
  const one = loss.graph.scalar(1, loss.dtype);
  return vjp([loss], [loss.rank === 0 ? one : expand(one, loss)], wrt);
}

/**
 * Sums a cotangent `g` (shaped like a broadcast result) back to the shape of `target`:
 * leading axes that broadcasting added are summed away, axes where target has size 1 are summed
 * with keepdims.
 */
export function unbroadcast(g: Value, target: Value): Value {
  const gs = g.shape;
  const ts = target.shape;
  if (sameShape(gs, ts)) return g;
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
