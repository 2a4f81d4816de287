/**
 * A minimal protobuf writer for the subset of onnx.proto that FlowLab emits (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto). We only ever encode, the
 * subset is small and stable, and writing it here keeps large initializers copy-light and the
 * dependency list short (a protobufjs-generated ONNX schema would add ~1 MB for an encoder of
 * ~150 lines).
 *
 * Wire format: key = (field << 3) | wire type; 0 = varint, 2 = length-delimited, 5 = fixed32.
 */

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  length = 0;

  private flushScratch(): void {
    if (this.scratch.length) {
      const b = Uint8Array.from(this.scratch);
      this.chunks.push(b);
      this.length += b.length;
      this.scratch = [];
    }
  }

  private varint(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 2 ** 31) {
      while (v > 0x7f) {
        this.scratch.push((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.scratch.push(v);
      return;
    }
    // Negative or large: 64-bit two's complement, as protobuf encodes int64.
    let b = BigInt.asUintN(64, BigInt(v));
    while (b > 0x7fn) {
      this.scratch.push(Number(b & 0x7fn) | 0x80);
      b >>= 7n;
    }
    this.scratch.push(Number(b));
  }

  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number | bigint): this {
    this.key(field, 0);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.scratch.push(...b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, 2);
    this.varint(data.length);
    this.flushScratch();
    this.chunks.push(data);
    this.length += data.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, m: ProtoWriter): this {
    m.flushScratch();
    this.key(field, 2);
    this.varint(m.length);
    this.flushScratch();
    for (const c of m.chunks) this.chunks.push(c);
    this.length += m.length;
    return this;
  }

  /** Packed repeated int64 (accepted by every protobuf parser for repeated scalars). */
  packedInts(field: number, vs: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of vs) inner.varint(v);
    inner.flushScratch();
    return this.message(field, inner);
  }

  packedFloats(field: number, vs: readonly number[]): this {
    const b = new Uint8Array(vs.length * 4);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}
