/**
 * Reads back what `serialize.ts` writes: the initializers (name, shape, float32 data) and the
 * metadata of an ONNX model, so a shipped or exported velocity net can become a run again.
 * A minimal protobuf reader: varints, length-delimited fields, fixed32/64 skipped.
 */

interface Field {
  field: number;
  wire: number;
  /** varint value (wire 0) */
  int?: bigint;
  /** payload (wire 2) */
  bytes?: Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  const varint = (): bigint => {
    let r = 0n;
    let shift = 0n;
    for (;;) {
      if (i >= buf.length) throw new Error('truncated protobuf varint');
      const b = buf[i++];
      r |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return r;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, wire, int: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      if (i + len > buf.length) throw new Error('truncated protobuf field');
      yield { field, wire, bytes: buf.subarray(i, i + len) };
      i += len;
    } else if (wire === 5) i += 4;
    else if (wire === 1) i += 8;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

export interface ReadTensor {
  name: string;
  dims: number[];
  dataType: number;
  data: Float32Array;
}

export interface ReadModel {
  initializers: Map<string, ReadTensor>;
  metadata: Record<string, string>;
}

function packedVarints(b: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < b.length) {
    let r = 0n;
    let shift = 0n;
    for (;;) {
      const x = b[i++];
      r |= BigInt(x & 0x7f) << shift;
      if (x < 0x80) break;
      shift += 7n;
    }
    out.push(Number(BigInt.asIntN(64, r)));
  }
  return out;
}

/** FLOAT in TensorProto.DataType. */
const FLOAT = 1;

function readTensor(b: Uint8Array): ReadTensor {
  const t: ReadTensor = { name: '', dims: [], dataType: 0, data: new Float32Array(0) };
  let raw: Uint8Array | null = null;
  for (const f of fields(b)) {
    if (f.field === 1) t.dims.push(...(f.bytes ? packedVarints(f.bytes) : [Number(f.int)]));
    else if (f.field === 2) t.dataType = Number(f.int);
    else if (f.field === 8) t.name = text(f.bytes!);
    else if ((f.field === 9 || f.field === 4) && f.bytes) raw = f.bytes; // raw_data, or packed float_data
  }
  if (t.dataType === FLOAT && raw) t.data = new Float32Array(Uint8Array.from(raw).buffer);
  return t;
}

/** Initializers (float32 ones) and metadata_props of a model. */
export function readModel(bytes: Uint8Array): ReadModel {
  const model: ReadModel = { initializers: new Map(), metadata: {} };
  // A Node Buffer's slice() is a view, not a copy: read through a plain Uint8Array.
  for (const f of fields(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    if (f.field === 7 && f.bytes) {
      for (const g of fields(f.bytes)) {
        if (g.field !== 5 || !g.bytes) continue;
        const t = readTensor(g.bytes);
        if (t.dataType === FLOAT) model.initializers.set(t.name, t);
      }
    } else if (f.field === 14 && f.bytes) {
      let k = '';
      let v = '';
      for (const e of fields(f.bytes)) {
        if (e.field === 1) k = text(e.bytes!);
        if (e.field === 2) v = text(e.bytes!);
      }
      model.metadata[k] = v;
    }
  }
  return model;
}
