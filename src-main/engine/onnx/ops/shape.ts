/**
 * Shape and data-movement ops with their gradient rules:
 *   Reshape/Unsqueeze/Squeeze   dx = reshape(g, shape of x)
 *   Transpose(perm)             dx = transpose(g, inverse perm)
 *   Expand                      dx = g (summed back over the stretched axes by `vjp`)
 *   Concat(axis)                dx_i = slice of g along axis
 *   Slice                       dx = g zero-padded back to the shape of x
 *   Where(c, a, b)              da = where(c, g, 0), db = where(c, 0, g)
 *   Cast                        dx = cast(g, dtype of x) between float types
 *   Gather                      no gradient with respect to the data (used to index datasets)
 */
import { Identity, normAxis, ONNX_DTYPE, type Dim, type DType, type NoAttrs, type OpDef, type Shape, type Value, isFloat, broadcastShapes } from '../graph.js';
import { apply1 } from './operands.js';

export { Identity };

function staticOr(x: Value): Value | number[] {
  return x.size === null ? shapeOf(x) : x.staticShape();
}

export const ShapeOp: OpDef<NoAttrs> = { op: 'Shape', infer: (i) => [{ dtype: 'int64', shape: [i[0]!.rank] }] };
export const shapeOf = (x: Value) => apply1(ShapeOp, [x], {});

export const identity = (x: Value) => apply1(Identity, [x], {});

/** The target shape as inferred at build time (the file carries it as the shape input). */
export interface ShapeAttrs {
  shape: Shape;
}

export const Reshape: OpDef<ShapeAttrs> = {
  op: 'Reshape',
  infer: (i, a) => [{ dtype: i[0]!.dtype, shape: a.shape }],
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
  return apply1(Reshape, [x, x.graph.ints(dims)], { shape });
}

/** Reshape x to the shape of `like` (static when possible, else read at run time). */
export function reshapeLike(x: Value, like: Value): Value {
  const s = staticOr(like);
  if (Array.isArray(s)) return reshape(x, s);
  return apply1(Reshape, [x, s], { shape: like.shape });
}

export const Expand: OpDef<ShapeAttrs> = {
  op: 'Expand',
  infer: (i, a) => [{ dtype: i[0]!.dtype, shape: broadcastShapes(i[0]!.shape, a.shape) }],
  grad: (_n, [g]) => [g, null],
};

export function expand(x: Value, like: Value | number[]): Value {
  const target = Array.isArray(like) ? like : staticOr(like);
  const shape = Array.isArray(like) ? like : like.shape;
  const shapeInput = Array.isArray(target) ? x.graph.ints(target) : target;
  return apply1(Expand, [x, shapeInput], { shape });
}

export function zerosLike(x: Value): Value {
  return expand(x.graph.scalar(0, x.dtype), x);
}

export const Transpose: OpDef<{ perm: number[] }> = {
  op: 'Transpose',
  infer: (i, a) => [{ dtype: i[0]!.dtype, shape: a.perm.map((p) => i[0]!.shape[p]) }],
  onnx: (a) => ({ perm: a.perm }),
  grad: (n, [g]) => {
    const perm = n.attrs.perm;
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

/** Axes, carried in the file as an int64 input (opset 13+). */
export interface AxesAttrs {
  axes: number[];
}

export const Unsqueeze: OpDef<AxesAttrs> = {
  op: 'Unsqueeze',
  infer: (i, a) => [{ dtype: i[0]!.dtype, shape: insertAxes(i[0]!.shape, a.axes) }],
  grad: (n, [g]) => [squeeze(g!, n.attrs.axes), null],
};

export const unsqueeze = (x: Value, axes: number[]) => apply1(Unsqueeze, [x, x.graph.ints(axes)], { axes });

export const Squeeze: OpDef<AxesAttrs> = {
  op: 'Squeeze',
  infer: (i, a) => {
    const x = i[0]!;
    const ax = new Set(a.axes.map((q) => normAxis(q, x.rank)));
    return [{ dtype: x.dtype, shape: x.shape.filter((_, k) => !ax.has(k)) }];
  },
  grad: (n, [g]) => [unsqueeze(g!, n.attrs.axes), null],
};

export const squeeze = (x: Value, axes: number[]) => apply1(Squeeze, [x, x.graph.ints(axes)], { axes });

export const Concat: OpDef<{ axis: number }> = {
  op: 'Concat',
  infer: (inputs, a) => {
    const xs = inputs as Value[];
    const axis = normAxis(a.axis, xs[0].rank);
    const shape: Dim[] = [...xs[0].shape];
    const parts = xs.map((x) => x.shape[axis]);
    shape[axis] = parts.every((p) => typeof p === 'number')
      ? (parts as number[]).reduce((s, p) => s + p, 0)
      : parts.join('+');
    return [{ dtype: xs[0].dtype, shape }];
  },
  onnx: (a) => ({ axis: a.axis }),
  grad: (n, [g]) => {
    const xs = n.inputs as Value[];
    const axis = normAxis(n.attrs.axis, xs[0].rank);
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

/** Static bounds, step 1 (the file carries them as int64 inputs). */
export interface SliceAttrs {
  starts: number[];
  ends: number[];
  axes: number[];
}

export const Slice: OpDef<SliceAttrs> = {
  op: 'Slice',
  infer: (i, { starts, ends, axes }) => {
    const x = i[0]!;
    const shape: Dim[] = [...x.shape];
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
    const { starts, ends, axes } = n.attrs;
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
  return apply1(Slice, [x, g.ints(starts), g.ints(ends), g.ints(ax)], { starts, ends, axes: ax });
}

/** Zero padding; pads = [begin_0..begin_r-1, end_0..end_r-1], carried as an int64 input. */
export const Pad: OpDef<{ pads: number[] }> = {
  op: 'Pad',
  infer: (i, a) => {
    const x = i[0]!;
    const p = a.pads;
    return [{ dtype: x.dtype, shape: x.shape.map((d, k) => (typeof d === 'number' ? d + p[k] + p[x.rank + k] : d)) }];
  },
  onnx: () => ({ mode: 'constant' }),
  grad: (n, [g]) => {
    const x = n.inputs[0]!;
    const p = n.attrs.pads;
    const starts = x.shape.map((_, k) => p[k]);
    const ends = x.shape.map((d, k) => p[k] + (d as number));
    return [slice(g!, starts, ends, x.shape.map((_, k) => k)), null];
  },
};

/** Zero padding: pads = [begin_0..begin_r-1, end_0..end_r-1]. */
export const pad = (x: Value, pads: number[]) => apply1(Pad, [x, x.graph.ints(pads)], { pads });

export const Where: OpDef<NoAttrs> = {
  op: 'Where',
  infer: (i) => [{ dtype: i[1]!.dtype, shape: broadcastShapes(broadcastShapes(i[0]!.shape, i[1]!.shape), i[2]!.shape) }],
  grad: (n, [g]) => {
    const c = n.inputs[0]!;
    const zero = g!.graph.scalar(0, g!.dtype);
    return [null, where(c, g!, zero), where(c, zero, g!)];
  },
};

export const where = (c: Value, a: Value, b: Value) => apply1(Where, [c, a, b], {});

export const Cast: OpDef<{ to: DType }> = {
  op: 'Cast',
  infer: (i, a) => [{ dtype: a.to, shape: i[0]!.shape }],
  onnx: (a) => ({ to: ONNX_DTYPE[a.to] }),
  grad: (n, [g]) => {
    const x = n.inputs[0]!;
    return [isFloat(x.dtype) && isFloat(g!.dtype) ? cast(g!, x.dtype) : null];
  },
};

export function cast(x: Value, to: DType): Value {
  if (x.dtype === to) return x;
  return apply1(Cast, [x], { to });
}

export const Gather: OpDef<{ axis: number }> = {
  op: 'Gather',
  onnx: (a) => ({ axis: a.axis }),
  infer: (i, a) => {
    const [data, idx] = i as Value[];
    const axis = normAxis(a.axis, data.rank);
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)] }];
  },
};

export const gather = (data: Value, indices: Value, axis = 0) => apply1(Gather, [data, indices], { axis });
