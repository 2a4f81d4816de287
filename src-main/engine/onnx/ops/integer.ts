/**
 * Integer and comparison ops (no gradients): the building blocks of the in-graph counter-based
 * random generator (uint32 hash) and of masks.
 */
import type { NoAttrs, OpDef, Value } from '../graph.js';
import { apply1, elementwiseInfer, operands, type Operand } from './operands.js';

const boolOut = elementwiseInfer('bool');
const same = elementwiseInfer();

export const Greater: OpDef<NoAttrs> = { op: 'Greater', infer: boolOut };
export const Less: OpDef<NoAttrs> = { op: 'Less', infer: boolOut };
export const Equal: OpDef<NoAttrs> = { op: 'Equal', infer: boolOut };
export const BitShift: OpDef<{ direction: 'LEFT' | 'RIGHT' }> = { op: 'BitShift', infer: same, onnx: (a) => ({ direction: a.direction }) };
export const BitwiseXor: OpDef<NoAttrs> = { op: 'BitwiseXor', infer: same };
export const BitwiseAnd: OpDef<NoAttrs> = { op: 'BitwiseAnd', infer: same };
export const Mod: OpDef<NoAttrs> = { op: 'Mod', infer: same };

function cmp(def: OpDef<NoAttrs>, a: Operand, b: Operand): Value {
  const [va, vb] = operands(a, b);
  return apply1(def, [va, vb], {});
}

export const greater = (a: Operand, b: Operand) => cmp(Greater, a, b);
export const less = (a: Operand, b: Operand) => cmp(Less, a, b);
export const equal = (a: Operand, b: Operand) => cmp(Equal, a, b);
export const bitwiseXor = (a: Operand, b: Operand) => cmp(BitwiseXor, a, b);
export const bitwiseAnd = (a: Operand, b: Operand) => cmp(BitwiseAnd, a, b);
/** Integer remainder (fmod = 0: sign of the divisor, exact for unsigned types). */
export const mod = (a: Operand, b: Operand) => cmp(Mod, a, b);

export function shiftRight(x: Value, bits: number): Value {
  const [vx, vb] = operands(x, bits);
  return apply1(BitShift, [vx, vb], { direction: 'RIGHT' });
}

export function shiftLeft(x: Value, bits: number): Value {
  const [vx, vb] = operands(x, bits);
  return apply1(BitShift, [vx, vb], { direction: 'LEFT' });
}
