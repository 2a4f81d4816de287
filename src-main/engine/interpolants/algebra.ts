/**
 * A tiny algebra so one formula serves two worlds: plain numbers (plots, tests, closed forms)
 * and graph values (training and sampling programs). An interpolant's a(t), b(t), gamma(t) and
 * their derivatives are written once against this interface.
 */
import type { Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';

export interface Algebra<T> {
  c(x: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  sin(a: T): T;
  cos(a: T): T;
  sqrt(a: T): T;
  /** t < threshold ? x : y */
  below(t: T, threshold: number, x: T, y: T): T;
}

export const numbers: Algebra<number> = {
  c: (x) => x,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  sin: Math.sin,
  cos: Math.cos,
  sqrt: Math.sqrt,
  below: (t, th, x, y) => (t < th ? x : y),
};

/** Graph algebra over values shaped like `like` (constants take its dtype and graph). */
export function graphAlgebra(like: Value): Algebra<Value> {
  const g = like.graph;
  return {
    c: (x) => g.scalar(x, like.dtype),
    add: op.add,
    sub: op.sub,
    mul: op.mul,
    div: op.div,
    sin: op.sin,
    cos: op.cos,
    sqrt: op.sqrt,
    below: (t, th, x, y) => op.where(op.less(t, th), x, y),
  };
}
