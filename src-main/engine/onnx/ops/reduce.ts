/**
 * Reductions over axes (opset 18: axes as an int64 input), each with its gradient rule:
 *   ReduceSum:        dx = expand(g)
 *   ReduceMean:       dx = expand(g) / count
 *   ReduceSumSquare:  dx = 2 x expand(g)
 *   ReduceMax:        no gradient (used for diagnostics only)
 */
import { normAxis, type Node, type OpDef, type Shape, type Value } from '../graph.js';
import { apply1 } from './operands.js';

/** The reduced axes (carried in the file as an int64 input) and whether they are kept as 1s. */
export interface ReduceAttrs {
  axes: number[];
  keepdims: boolean;
}

type ReduceNode = Node<ReduceAttrs>;
import { div, mul } from './elementwise.js';
import { expand, unsqueeze } from './shape.js';

function reducedShape(x: Value, axes: number[], keepdims: boolean): Shape {
  const ax = new Set(axes.map((a) => normAxis(a, x.rank)));
  const out = [];
  for (let i = 0; i < x.rank; i++) {
    if (!ax.has(i)) out.push(x.shape[i]);
    else if (keepdims) out.push(1);
  }
  return out;
}

function axesOf(node: ReduceNode): number[] {
  return node.attrs.axes.map((a) => normAxis(a, node.inputs[0]!.rank));
}

/** The cotangent of a reduction's output, broadcast back to the input's shape. */
function expandBack(node: ReduceNode, g: Value): Value {
  const x = node.inputs[0]!;
  const keep = node.attrs.keepdims;
  const gk = keep ? g : unsqueeze(g, axesOf(node).sort((a, b) => a - b));
  return expand(gk, x);
}

function countOf(node: ReduceNode): number {
  const x = node.inputs[0]!;
  let c = 1;
  for (const a of axesOf(node)) {
    const d = x.shape[a];
    if (typeof d !== 'number') throw new Error('ReduceMean gradient needs static reduced dimensions');
    c *= d;
  }
  return c;
}

function reduceDef(op: string, grad?: OpDef<ReduceAttrs>['grad']): OpDef<ReduceAttrs> {
  return {
    op,
    infer: (inputs, a) => [{ dtype: inputs[0]!.dtype, shape: reducedShape(inputs[0]!, a.axes, a.keepdims) }],
    onnx: (a) => ({ keepdims: a.keepdims ? 1 : 0 }),
    grad,
  };
}

export const ReduceSum = reduceDef('ReduceSum', (node, [g]) => [expandBack(node, g!), null]);
export const ReduceMean = reduceDef('ReduceMean', (node, [g]) => [div(expandBack(node, g!), countOf(node)), null]);
export const ReduceSumSquare = reduceDef('ReduceSumSquare', (node, [g]) => [
  mul(mul(expandBack(node, g!), node.inputs[0]!), 2),
  null,
]);
export const ReduceMax = reduceDef('ReduceMax');

function reduce(def: OpDef<ReduceAttrs>, x: Value, axes: number[] | undefined, keepdims: boolean): Value {
  const ax = axes ?? Array.from({ length: x.rank }, (_, i) => i);
  return apply1(def, [x, x.graph.ints(ax)], { axes: ax, keepdims });
}

export const reduceSum = (x: Value, axes?: number[], keepdims = false) => reduce(ReduceSum, x, axes, keepdims);
export const reduceMean = (x: Value, axes?: number[], keepdims = false) => reduce(ReduceMean, x, axes, keepdims);
export const reduceSumSquare = (x: Value, axes?: number[], keepdims = false) => reduce(ReduceSumSquare, x, axes, keepdims);
export const reduceMax = (x: Value, axes?: number[], keepdims = false) => reduce(ReduceMax, x, axes, keepdims);
