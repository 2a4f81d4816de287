/**
 * Shape and data-movement ops with their gradient rules:
 *   Reshape/Unsqueeze/Squeeze   dx = reshape(g, shape of x)
 *   Transpose(perm)             dx = transpose(g, inverse perm)
 *   Expand                      dx = unbroadcast(g, x)
 *   Concat(axis)                dx_i = slice of g along axis
 *   Slice                       dx = g zero-padded back to the shape of x
 *   Where(c, a, b)              da = where(c, g, 0), db = where(c, 0, g)
 *   Cast                        dx = cast(g, dtype of x) between float types
 *   Gather                      no gradient with respect to the data (used to index datasets)
 */
import { normAxis, ONNX_DTYPE, type Dim, type DType, type OpDef, type Shape, type Value, isFloat, broadcastShapes } from '../graph.js';
import { apply1, unbroadcast } from './core.js';

function staticOr(x: Value): Value | number[] {
  return x.size === null ? shapeOf(x) : x.staticShape();
}

export const ShapeOp: OpDef = { op: 'Shape', infer: (i) => [{ dtype: 'int64', shape: [i[0]!.rank] }] };
export const shapeOf = (x: Value) => apply1(ShapeOp, [x]);

export const Identity: OpDef = { op: 'Identity', infer: (i) => [{ dtype: i[0]!.dtype, shape: i[0]!.shape }], grad: (_n, [g]) => [g] };
export const identity = (x: Value) => apply1(Identity, [x]);

export const Reshape: OpDef = {
  op: 'Reshape',
  infer: (_i, a) => [{ dtype: _i[0]!.dtype, shape: a.__shape as Dim[] }],
  grad: (n, [g]) => [reshapeLike(g!, n.inputs[0]!), null],
};

/** ONNX Reshape: a 0 in `dims` keeps the input's dimension there (static or symbolic), -1 is inferred. */
export function reshape(x: Value, dims: number[]): Value {
  const shape: Dim[] = dims.map((d, i) => (d === 0 ? x.shape[i] : d));
  const hole = dims.indexOf(-1);
  const fixed = shape.filter((_, i) => i !== hole);
  const known = fixed.every((d) => typeof d === 'number') ? (fixed as number[]).reduce((a, b) => a * b, 1) : null;
  if (hole >= 0) {
    const size = x.size;
    shape[hole] = size === null || known === null ? `${x.name}_r${hole}` : size / known;
  } else if (x.size !== null && known !== null && x.size !== known) {
    throw new Error(`cannot reshape [${x.shape}] to [${dims}]`);
  }
  return apply1(Reshape, [x, x.graph.ints(dims)], { __shape: shape as number[] });
}

/** Reshape x to the shape of `like` (static when possible, else read at run time). */
export function reshapeLike(x: Value, like: Value): Value {
  const s = staticOr(like);
  if (Array.isArray(s)) return reshape(x, s);
  return apply1(Reshape, [x, s], { __shape: like.shape as number[] });
}

export const Expand: OpDef = {
  op: 'Expand',
  infer: (i, a) => [{ dtype: i[0]!.dtype, shape: broadcastShapes(i[0]!.shape, a.__shape as Dim[]) }],
  grad: (n, [g]) => [unbroadcast(g!, n.inputs[0]!), null],
};

export function expand(x: Value, like: Value | number[]): Value {
  const target = Array.isArray(like) ? like : staticOr(like);
  const shape = Array.isArray(like) ? like : like.shape;
  const shapeInput = Array.isArray(target) ? x.graph.ints(target) : target;
  return apply1(Expand, [x, shapeInput], { __shape: shape as number[] });
}

export function zerosLike(x: Value): Value {
  return expand(x.graph.scalar(0, x.dtype), x);
}

export const Transpose: OpDef = {
  op: 'Transpose',
  infer: (i, a) => [{ dtype: i[0]!.dtype, shape: (a.perm as number[]).map((p) => i[0]!.shape[p]) }],
  grad: (n, [g]) => {
    const perm = n.attrs.perm as number[];
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [transpose(g!, inv)];
  },
};

export function transpose(x: Value, perm?: number[]): Value {
  const p = perm ?? Array.from({ length: x.rank }, (_, i) => x.rank - 1 - i);
  return apply1(Transpose, [x], { perm: p });
}

function insertAxes(shape: Shape, axes: number[]): Dim[] {
  const rank = shape.length + axes.length;
  const ax = new Set(axes.map((a) => normAxis(a, rank)));
  const out: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(ax.has(i) ? 1 : shape[k++]);
  return out;
}

export const Unsqueeze: OpDef = {
  op: 'Unsqueeze',
  infer: (i, a) => [{ dtype: i[0]!.dtype, shape: insertAxes(i[0]!.shape, a.__axes as number[]) }],
  grad: (n, [g]) => [squeeze(g!, n.attrs.__axes as number[]), null],
};

export const unsqueeze = (x: Value, axes: number[]) => apply1(Unsqueeze, [x, x.graph.ints(axes)], { __axes: axes });

export const Squeeze: OpDef = {
  op: 'Squeeze',
  infer: (i, a) => {
    const x = i[0]!;
    const ax = new Set((a.__axes as number[]).map((q) => normAxis(q, x.rank)));
    return [{ dtype: x.dtype, shape: x.shape.filter((_, k) => !ax.has(k)) }];
  },
  grad: (n, [g]) => [unsqueeze(g!, n.attrs.__axes as number[]), null],
};

export const squeeze = (x: Value, axes: number[]) => apply1(Squeeze, [x, x.graph.ints(axes)], { __axes: axes });

export const Concat: OpDef = {
  op: 'Concat',
  infer: (inputs, a) => {
    const xs = inputs as Value[];
    const axis = normAxis(a.axis as number, xs[0].rank);
    const shape: Dim[] = [...xs[0].shape];
    const parts = xs.map((x) => x.shape[axis]);
    shape[axis] = parts.every((p) => typeof p === 'number')
      ? (parts as number[]).reduce((s, p) => s + p, 0)
      : parts.join('+');
    return [{ dtype: xs[0].dtype, shape }];
  },
  grad: (n, [g]) => {
    const xs = n.inputs as Value[];
    const axis = normAxis(n.attrs.axis as number, xs[0].rank);
    let start = 0;
    return xs.map((x) => {
      const len = x.shape[axis];
      if (typeof len !== 'number') throw new Error('Concat gradient needs static sizes along the axis');
      const piece = slice(g!, [start], [start + len], [axis]);
      start += len;
      return piece;
    });
  },
};

export const concat = (xs: Value[], axis: number) => apply1(Concat, xs, { axis });

export const Slice: OpDef = {
  op: 'Slice',
  infer: (i, a) => {
    const x = i[0]!;
    const shape: Dim[] = [...x.shape];
    const { __starts: starts, __ends: ends, __axes: axes } = a as unknown as Record<string, number[]>;
    axes.forEach((ax, k) => {
      const d = x.shape[ax];
      if (typeof d !== 'number') throw new Error('Slice needs a static dimension on sliced axes');
      const s = clampIndex(starts[k], d);
      const e = clampIndex(ends[k], d);
      shape[ax] = Math.max(0, e - s);
    });
    return [{ dtype: x.dtype, shape }];
  },
  grad: (n, [g]) => {
    const x = n.inputs[0]!;
    const { __starts: starts, __ends: ends, __axes: axes } = n.attrs as unknown as Record<string, number[]>;
    const pads = new Array(2 * x.rank).fill(0);
    axes.forEach((ax, k) => {
      const d = x.shape[ax] as number;
      pads[ax] = clampIndex(starts[k], d);
      pads[x.rank + ax] = d - clampIndex(ends[k], d);
    });
    return [pad(g!, pads), null, null, null];
  },
};

function clampIndex(i: number, d: number): number {
  const j = i < 0 ? i + d : i;
  return Math.min(Math.max(j, 0), d);
}

/** x[starts:ends] along `axes` (step 1; static bounds). */
export function slice(x: Value, starts: number[], ends: number[], axes: number[]): Value {
  const ax = axes.map((a) => normAxis(a, x.rank));
  const g = x.graph;
  return apply1(Slice, [x, g.ints(starts), g.ints(ends), g.ints(ax)], { __starts: starts, __ends: ends, __axes: ax });
}

export const Pad: OpDef = {
  op: 'Pad',
  infer: (i, a) => {
    const x = i[0]!;
    const p = a.__pads as number[];
    return [{ dtype: x.dtype, shape: x.shape.map((d, k) => (typeof d === 'number' ? d + p[k] + p[x.rank + k] : d)) }];
  },
  grad: (n, [g]) => {
    const x = n.inputs[0]!;
    const p = n.attrs.__pads as number[];
    const starts = x.shape.map((_, k) => p[k]);
    const ends = x.shape.map((d, k) => p[k] + (d as number));
    return [slice(g!, starts, ends, x.shape.map((_, k) => k)), null];
  },
};

/** Zero padding: pads = [begin_0..begin_r-1, end_0..end_r-1]. */
export const pad = (x: Value, pads: number[]) => apply1(Pad, [x, x.graph.ints(pads)], { mode: 'constant', __pads: pads });

export const Where: OpDef = {
  op: 'Where',
  infer: (i) => [{ dtype: i[1]!.dtype, shape: broadcastShapes(broadcastShapes(i[0]!.shape, i[1]!.shape), i[2]!.shape) }],
  grad: (n, [g]) => {
    const [c, a, b] = n.inputs as Value[];
    const zero = g!.graph.scalar(0, g!.dtype);
    return [null, unbroadcast(where(c, g!, zero), a), unbroadcast(where(c, zero, g!), b)];
  },
};

export const where = (c: Value, a: Value, b: Value) => apply1(Where, [c, a, b]);

export const Cast: OpDef = {
  op: 'Cast',
  infer: (i, a) => [{ dtype: a.__to as DType, shape: i[0]!.shape }],
  grad: (n, [g]) => {
    const x = n.inputs[0]!;
    return [isFloat(x.dtype) && isFloat(g!.dtype) ? cast(g!, x.dtype) : null];
  },
};

export function cast(x: Value, to: DType): Value {
  if (x.dtype === to) return x;
  return apply1(Cast, [x], { to: ONNX_DTYPE[to], __to: to });
}

export const Gather: OpDef = {
  op: 'Gather',
  infer: (i, a) => {
    const [data, idx] = i as Value[];
    const axis = normAxis((a.axis as number) ?? 0, data.rank);
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)] }];
  },
};

export const gather = (data: Value, indices: Value, axis = 0) => apply1(Gather, [data, indices], { axis });
