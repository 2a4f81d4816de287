/**
 * The graph builder: typed value handles recorded into ONNX graphs. Ops (ops/*.ts) append nodes
 * through `Graph.apply`; `autodiff.ts` walks the recorded nodes backwards; `serialize.ts` writes
 * the graph as an ONNX ModelProto. Shapes are inferred statically at build time (a dimension is a
 * number or a symbolic name), which is what lets `vjp` undo broadcasting without runtime
 * shape ops in the common case.
 */

export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'uint32' | 'bool';
export type Dim = number | string;
export type Shape = readonly Dim[];
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint32Array | Uint8Array;

export const ONNX_DTYPE: Record<DType, number> = {
  float32: 1,
  uint32: 12,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
};

export function isFloat(t: DType): boolean {
  return t === 'float32' || t === 'float64';
}

/** An attribute as written into the ONNX file. */
export type OnnxAttr = number | string | number[] | Graph | { ints: number[] } | { floats: number[] } | { float: number };
export type OnnxAttrs = Record<string, OnnxAttr>;
/** The attributes of an op that has none. */
export type NoAttrs = Record<string, never>;

export interface OutSpec {
  dtype: DType;
  shape: Shape;
}

/**
 * One op, declared once: its ONNX form, its typed build-time attributes `A` (what the shape and
 * gradient rules read), the attributes written to the file, the shape rule and the gradient rule.
 * Methods (not function-valued properties) so an `OpDef<SliceAttrs>` is an `OpDef` where nodes
 * of every op are stored together.
 */
export interface OpDef<A = unknown> {
  /** ONNX op_type. */
  readonly op: string;
  readonly domain?: string;
  /** Output dtypes and shapes from the inputs (null inputs are omitted optional inputs). */
  infer(inputs: (Value | null)[], attrs: A): OutSpec[];
  /** The ONNX attributes of a node (absent: the op writes none). */
  onnx?(attrs: A): OnnxAttrs;
  /**
   * The vector-Jacobian product: cotangents of the outputs in, of the inputs out. A returned
   * cotangent may have the shape of the broadcast result: `vjp` sums it back to its input's shape.
   * Absent for ops with no gradient (integer, comparison, control flow).
   */
  grad?(node: Node<A>, gOut: (Value | null)[]): (Value | null)[];
}

export interface Node<A = unknown> {
  readonly def: OpDef<A>;
  readonly inputs: (Value | null)[];
  readonly outputs: Value[];
  readonly attrs: A;
  readonly graph: Graph;
}

/** The typed attributes of `node` when it is an application of `def`, else null. */
export function attrsOf<A>(node: Node | null, def: OpDef<A>): A | null {
  return node && node.def === def ? (node.attrs as A) : null;
}

/** Identity: y = x, dx = g. Declared here because `setNamedOutputs` names outputs with it. */
export const Identity: OpDef<NoAttrs> = {
  op: 'Identity',
  infer: (i) => [{ dtype: i[0]!.dtype, shape: i[0]!.shape }],
  grad: (_n, [g]) => [g],
};

let nameCounter = 0;
/** Names are unique across every graph, so a Loop body never shadows an outer-scope name. */
export function freshName(prefix = 'v'): string {
  return `${prefix}${nameCounter++}`;
}

export class Value {
  constructor(
    readonly graph: Graph,
    readonly name: string,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly node: Node | null,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** Total element count when every dimension is static, else null. */
  get size(): number | null {
    let s = 1;
    for (const d of this.shape) {
      if (typeof d !== 'number') return null;
      s *= d;
    }
    return s;
  }

  staticShape(): number[] {
    const out: number[] = [];
    for (const d of this.shape) {
      if (typeof d !== 'number') throw new Error(`value ${this.name} has a symbolic dimension '${d}' where a static shape is needed`);
      out.push(d);
    }
    return out;
  }
}

export interface Initializer {
  value: Value;
  data: TensorData;
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  outputs: Value[] = [];
  readonly initializers: Initializer[] = [];
  private readonly scalarCache = new Map<string, Value>();

  constructor(
    readonly name = 'flowlab',
    readonly parent: Graph | null = null,
  ) {}

  /** True when `g` is this graph or one of its enclosing graphs (outer-scope values are visible). */
  sees(g: Graph): boolean {
    for (let cur: Graph | null = this; cur; cur = cur.parent) if (cur === g) return true;
    return false;
  }

  /** Inputs whose file declares no shape: callers may pass any rank (see `input`). */
  readonly rankFree = new Set<Value>();

  /**
   * A graph input. With `rankFree` the file declares its type without a shape, so a runtime
   * accepts any rank; `shape` is then only what the shape rules assume, and the graph must bring
   * the value to a known shape itself (e.g. Reshape to [-1, 1]).
   */
  input(name: string, dtype: DType, shape: Shape, opts?: { rankFree?: boolean }): Value {
    const v = new Value(this, name, dtype, shape, null);
    this.inputs.push(v);
    if (opts?.rankFree) this.rankFree.add(v);
    return v;
  }

  /** A tensor constant stored as an initializer of this graph. */
  constant(data: TensorData, dtype: DType, shape: Shape, name = freshName('c')): Value {
    const v = new Value(this, name, dtype, shape, null);
    this.initializers.push({ value: v, data });
    return v;
  }

  scalar(x: number, dtype: DType = 'float32'): Value {
    const key = `${dtype}:${Object.is(x, -0) ? '-0' : x}`;
    let v = this.scalarCache.get(key);
    if (!v) {
      v = this.constant(typedArrayOf(dtype, [x]), dtype, []);
      this.scalarCache.set(key, v);
    }
    return v;
  }

  /** A 1-D int64 constant (axes, shapes, pads). */
  ints(xs: readonly number[]): Value {
    const key = `ints:${xs.join(',')}`;
    let v = this.scalarCache.get(key);
    if (!v) {
      v = this.constant(BigInt64Array.from(xs.map((x) => BigInt(x))), 'int64', [xs.length]);
      this.scalarCache.set(key, v);
    }
    return v;
  }

  apply<A>(def: OpDef<A>, inputs: (Value | null)[], attrs: A, names?: string[]): Value[] {
    for (const i of inputs) {
      if (i && !this.sees(i.graph)) throw new Error(`op ${def.op}: input ${i.name} belongs to a graph not visible from ${this.name}`);
    }
    const specs = def.infer(inputs, attrs);
    const outputs: Value[] = [];
    const node: Node<A> = { def, inputs, outputs, attrs, graph: this };
    specs.forEach((s, k) => outputs.push(new Value(this, names?.[k] ?? freshName(), s.dtype, s.shape, node)));
    this.nodes.push(node);
    return outputs;
  }

  /** Graph outputs under chosen names (each gets an Identity node carrying the name). */
  setNamedOutputs(named: Record<string, Value>): this {
    const outs = Object.entries(named).map(([name, v]) => this.apply(Identity, [v], {}, [name])[0]);
    return this.setOutputs(...outs);
  }

  setOutputs(...vs: Value[]): this {
    for (const v of vs) if (!this.sees(v.graph)) throw new Error(`output ${v.name} is not visible from graph ${this.name}`);
    this.outputs = vs;
    return this;
  }
}

/** The innermost graph among the inputs: where a node consuming them must live. */
export function graphOf(inputs: (Value | null)[]): Graph {
  let g: Graph | null = null;
  for (const v of inputs) {
    if (!v) continue;
    if (!g || v.graph.sees(g)) g = v.graph;
    else if (!g.sees(v.graph)) throw new Error('values from unrelated graphs cannot meet in one op');
  }
  if (!g) throw new Error('an op needs at least one Value input to know its graph');
  return g;
}

export function typedArrayOf(dtype: DType, xs: readonly number[]): TensorData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(xs);
    case 'float64':
      return Float64Array.from(xs);
    case 'int64':
      return BigInt64Array.from(xs.map((x) => BigInt(x)));
    case 'int32':
      return Int32Array.from(xs);
    case 'uint32':
      return Uint32Array.from(xs);
    case 'bool':
      return Uint8Array.from(xs);
  }
}

/** Numpy-style broadcast of two shapes (symbolic dims are assumed equal to each other). */
export function broadcastShapes(a: Shape, b: Shape): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === 1) out.push(db);
    else if (db === 1) out.push(da);
    else if (typeof da === 'number' && typeof db === 'number' && da !== db) {
      throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    } else out.push(typeof da === 'number' ? da : db);
  }
  return out;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}
