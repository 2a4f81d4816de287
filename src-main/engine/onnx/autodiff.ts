/**
 * Reverse-mode differentiation over a recorded graph. The nodes of a graph are kept in creation
 * order, which is a topological order; `vjp` walks them backwards once, asks each op's gradient
 * rule for its inputs' cotangents, and sums contributions where a value feeds several nodes.
 * The gradient nodes are appended to the same graph, so the result is itself an ONNX program.
 */
import type { Node, Value } from './graph.js';
import { add, expand, zerosLike } from './ops/index.js';

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
      if (inp && g && depends.has(inp)) accumulate(inp, g);
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
