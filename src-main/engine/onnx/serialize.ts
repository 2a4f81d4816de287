/**
 * Graph -> ONNX ModelProto bytes (opset 18, IR version 8). A node's attributes in the file are
 * what its op's `onnx` declares (build-time attributes such as a Slice's bounds, which travel as
 * inputs, stay out), and dead nodes stay out too: a gradient rule builds
 * the cotangent of every input of its op, including inputs nothing is differentiated through
 * (the first layer's features, say), and ONNX Runtime runs every node it is given.
 */
import { ProtoWriter } from './proto.js';
import { Graph, ONNX_DTYPE, type Initializer, type Node, type OnnxAttr, type OnnxAttrs, type Value } from './graph.js';

export const OPSET = 18;
export const IR_VERSION = 8;

export interface ModelOptions {
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

export function serializeModel(graph: Graph, opts: ModelOptions = {}): Uint8Array {
  const m = new ProtoWriter();
  m.int(1, IR_VERSION);
  m.string(2, 'flowlab');
  if (opts.producerVersion) m.string(3, opts.producerVersion);
  if (opts.docString) m.string(6, opts.docString);
  m.message(7, graphProto(graph));
  m.message(8, new ProtoWriter().string(1, '').int(2, OPSET));
  // ONNX Runtime's own ops (com.microsoft.*) are at version 1.
  for (const domain of domainsOf(graph)) m.message(8, new ProtoWriter().string(1, domain).int(2, 1));
  for (const [k, v] of Object.entries(opts.metadata ?? {})) {
    m.message(14, new ProtoWriter().string(1, k).string(2, v));
  }
  return m.finish();
}

function domainsOf(g: Graph, out = new Set<string>()): Set<string> {
  for (const n of liveNodes(g).nodes) {
    if (n.def.domain) out.add(n.def.domain);
    for (const a of Object.values(onnxAttrs(n))) if (a instanceof Graph) domainsOf(a, out);
  }
  return out;
}

function graphProto(g: Graph): ProtoWriter {
  const w = new ProtoWriter();
  const { nodes, live } = liveNodes(g);
  for (const n of nodes) w.message(1, nodeProto(n));
  w.string(2, g.name);
  for (const init of g.initializers) if (live.has(init.value)) w.message(5, tensorProto(init));
  for (const v of g.inputs) w.message(11, valueInfo(v, !g.rankFree.has(v)));
  for (const v of g.outputs) w.message(12, valueInfo(v));
  return w;
}

/**
 * The nodes that some output of `g` depends on (in their recorded, topological order), and every
 * value they read, including the outer-scope values read inside their subgraphs.
 */
export function liveNodes(g: Graph): { nodes: Node[]; live: Set<Value> } {
  const live = new Set<Value>(g.outputs);
  const kept: Node[] = [];
  for (let k = g.nodes.length - 1; k >= 0; k--) {
    const n = g.nodes[k];
    if (!n.outputs.some((o) => live.has(o))) continue;
    kept.push(n);
    for (const i of n.inputs) if (i) live.add(i);
    for (const a of Object.values(onnxAttrs(n))) if (a instanceof Graph) for (const v of liveNodes(a).live) if (v.graph !== a) live.add(v);
  }
  return { nodes: kept.reverse(), live };
}

function onnxAttrs(n: Node): OnnxAttrs {
  return n.def.onnx ? n.def.onnx(n.attrs) : {};
}

function nodeProto(n: Node): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i ? i.name : '');
  for (const o of n.outputs) w.string(2, o.name);
  w.string(3, `${n.def.op}_${n.outputs[0]?.name ?? ''}`);
  w.string(4, n.def.op);
  for (const [name, value] of Object.entries(onnxAttrs(n))) w.message(5, attribute(name, value));
  if (n.def.domain) w.string(7, n.def.domain);
  return w;
}

// AttributeProto.AttributeType
const FLOAT = 1, INT = 2, STRING = 3, GRAPH = 5, FLOATS = 6, INTS = 7;

function attribute(name: string, v: OnnxAttr): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (v instanceof Graph) return w.message(6, graphProto(v)).int(20, GRAPH);
  if (typeof v === 'string') return w.string(4, v).int(20, STRING);
  if (typeof v === 'number') return w.int(3, v).int(20, INT);
  if (Array.isArray(v)) return w.packedInts(8, v).int(20, INTS);
  if ('ints' in v) return w.packedInts(8, v.ints).int(20, INTS);
  if ('floats' in v) return w.packedFloats(7, v.floats).int(20, FLOATS);
  return w.float(2, v.float).int(20, FLOAT);
}

function tensorProto({ value, data }: Initializer): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, value.staticShape());
  w.int(2, ONNX_DTYPE[value.dtype]);
  w.string(8, value.name);
  w.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return w;
}

/** A value's type; without `withShape` the tensor type has no shape field (any rank is accepted). */
function valueInfo(v: Value, withShape = true): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  }
  const tensor = new ProtoWriter().int(1, ONNX_DTYPE[v.dtype]);
  if (withShape) tensor.message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensor));
}
