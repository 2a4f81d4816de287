/**
 * Elementwise math, each op declared once with its vector-Jacobian product (g = cotangent of
 * the output y; a cotangent shaped like a broadcast output is summed back by `vjp`):
 *   Add  da = g, db = g          Sub  da = g, db = -g
 *   Mul  da = g b, db = g a      Div  da = g / b, db = -g y / b
 *   Pow  da = g p a^(p-1), dp = g y ln a
 *   Neg  -g   Exp  g y   Log  g / x   Sqrt  g / (2 y)   Reciprocal  -g y^2
 *   Sin  g cos x   Cos  -g sin x   Tanh  g (1 - y^2)   Sigmoid  g y (1 - y)
 *   Erf  g 2/sqrt(pi) exp(-x^2)   Abs  g sign x   Relu  g [x > 0]
 */
import { isFloat, type NoAttrs, type OpDef, type Value } from '../graph.js';
import { apply1, elementwiseInfer, operands, type Operand } from './operands.js';
import { cast, where } from './shape.js';
import { greater } from './integer.js';

const same = elementwiseInfer();

type Rule = OpDef<NoAttrs>['grad'];

function binary(op: string, grad: Rule): OpDef<NoAttrs> {
  return { op, infer: same, grad };
}

function unary(op: string, grad?: Rule): OpDef<NoAttrs> {
  return { op, infer: same, grad };
}

export const Add = binary('Add', (_n, [g]) => [g, g]);
export const Sub = binary('Sub', (_n, [g]) => [g, neg(g!)]);
export const Mul = binary('Mul', (n, [g]) => {
  const [a, b] = n.inputs as Value[];
  return [mul(g!, b), mul(g!, a)];
});
export const Div = binary('Div', (n, [g]) => {
  const [a, b] = n.inputs as Value[];
  const y = n.outputs[0];
  return [div(g!, b), neg(div(mul(g!, y), b))];
});
export const Pow = binary('Pow', (n, [g]) => {
  const [a, p] = n.inputs as Value[];
  const y = n.outputs[0];
  return [mul(g!, mul(p, pow(a, sub(p, 1)))), mul(g!, mul(y, log(a)))];
});

export const Neg = unary('Neg', (_n, [g]) => [neg(g!)]);
export const Exp = unary('Exp', (n, [g]) => [mul(g!, n.outputs[0])]);
export const Log = unary('Log', (n, [g]) => [div(g!, n.inputs[0]!)]);
export const Sqrt = unary('Sqrt', (n, [g]) => [div(g!, mul(n.outputs[0], 2))]);
export const Reciprocal = unary('Reciprocal', (n, [g]) => [neg(mul(g!, mul(n.outputs[0], n.outputs[0])))]);
export const Sin = unary('Sin', (n, [g]) => [mul(g!, cos(n.inputs[0]!))]);
export const Cos = unary('Cos', (n, [g]) => [neg(mul(g!, sin(n.inputs[0]!)))]);
export const Tanh = unary('Tanh', (n, [g]) => {
  const y = n.outputs[0];
  return [mul(g!, sub(1, mul(y, y)))];
});
export const Sigmoid = unary('Sigmoid', (n, [g]) => {
  const y = n.outputs[0];
  return [mul(g!, mul(y, sub(1, y)))];
});
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
export const Erf = unary('Erf', (n, [g]) => {
  const x = n.inputs[0]!;
  return [mul(g!, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI))];
});
export const Abs = unary('Abs', (n, [g]) => [mul(g!, sign(n.inputs[0]!))]);
export const Sign = unary('Sign');
export const Floor = unary('Floor');
export const Relu = unary('Relu', (n, [g]) => {
  const x = n.inputs[0]!;
  return [mul(g!, cast(greater(x, 0), x.dtype))];
});

function bin(def: OpDef<NoAttrs>, a: Operand, b: Operand): Value {
  const [va, vb] = operands(a, b);
  return apply1(def, [va, vb], {});
}

export const add = (a: Operand, b: Operand) => bin(Add, a, b);
export const sub = (a: Operand, b: Operand) => bin(Sub, a, b);
export const mul = (a: Operand, b: Operand) => bin(Mul, a, b);
export const div = (a: Operand, b: Operand) => bin(Div, a, b);
export const pow = (a: Operand, b: Operand) => bin(Pow, a, b);
export const neg = (x: Value) => apply1(Neg, [x], {});
export const exp = (x: Value) => apply1(Exp, [x], {});
export const log = (x: Value) => apply1(Log, [x], {});
export const sqrt = (x: Value) => apply1(Sqrt, [x], {});
export const reciprocal = (x: Value) => apply1(Reciprocal, [x], {});
export const sin = (x: Value) => apply1(Sin, [x], {});
export const cos = (x: Value) => apply1(Cos, [x], {});
export const tanh = (x: Value) => apply1(Tanh, [x], {});
export const sigmoid = (x: Value) => apply1(Sigmoid, [x], {});
export const erf = (x: Value) => apply1(Erf, [x], {});
export const abs = (x: Value) => apply1(Abs, [x], {});
export const sign = (x: Value) => apply1(Sign, [x], {});
export const floor = (x: Value) => apply1(Floor, [x], {});
export const relu = (x: Value) => apply1(Relu, [x], {});

/** x^2 as one multiply (cheaper and exact, unlike Pow). */
export const square = (x: Value) => mul(x, x);

/**
 * SiLU's product y = x s, s = sigmoid(x), with the whole derivative in one rule:
 *   dy/dx = s + x s (1 - s) = s + y (1 - s)
 * (4 passes over the activations instead of the 6 that Mul's and Sigmoid's rules would take;
 * the Sigmoid node then gets no cotangent of its own).
 */
export const SiluMul: OpDef<NoAttrs> = {
  op: 'Mul',
  infer: same,
  grad: (n, [g]) => {
    const s = n.inputs[1]!;
    const y = n.outputs[0];
    return [mul(g!, add(s, mul(y, sub(1, s)))), null];
  },
};

/** SiLU (swish): x sigmoid(x). */
export const silu = (x: Value) => apply1(SiluMul, [x, sigmoid(x)], {});

/** GELU, exact erf form: x (1 + erf(x / sqrt 2)) / 2. */
export const gelu = (x: Value) => mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));

/** max(a, b) elementwise as a Where, so it has a gradient through the selected branch. */
export function maximum(a: Value, b: Operand): Value {
  const [va, vb] = operands(a, b);
  return where(greater(va, vb), va, vb);
}

export function minimum(a: Value, b: Operand): Value {
  const [va, vb] = operands(a, b);
  return where(greater(va, vb), vb, va);
}

export function assertFloat(x: Value, what: string): void {
  if (!isFloat(x.dtype)) throw new Error(`${what} needs a float tensor, got ${x.dtype}`);
}
