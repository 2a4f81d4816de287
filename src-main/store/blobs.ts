/**
 * Float32Array <-> SQLite BLOB codecs. A blob holds the array's raw IEEE-754 bytes in the
 * platform's byte order (little-endian on every platform FlowLab ships for), so a round trip
 * keeps every bit, NaN payloads and -0 included. Nothing is ever written as JSON numbers.
 */

const FLOAT32_BYTES = Float32Array.BYTES_PER_ELEMENT;

/**
 * The array's bytes as a Buffer view (no copy). better-sqlite3 copies bound blobs into SQLite,
 * so the view need only live until the statement runs.
 */
export function float32ToBlob(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * A Float32Array over a blob's bytes. Copy-free when the Buffer owns its whole ArrayBuffer (as
 * every blob better-sqlite3 returns does); otherwise, e.g. for a slice of Node's shared pool,
 * the bytes are copied so the result never exposes or pins foreign memory.
 */
export function blobToFloat32(blob: Uint8Array): Float32Array {
  if (blob.byteLength % FLOAT32_BYTES !== 0) {
    throw new Error(`blob of ${blob.byteLength} bytes is not a whole number of float32 values`);
  }
  const count = blob.byteLength / FLOAT32_BYTES;
  const ownsBuffer = blob.byteOffset === 0 && blob.byteLength === blob.buffer.byteLength;
  if (ownsBuffer && blob.buffer instanceof ArrayBuffer) {
    return new Float32Array(blob.buffer, 0, count);
  }
  const out = new Float32Array(count);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** Like `float32ToBlob`, passing null through (for optional columns). */
export function optionalFloat32ToBlob(values: Float32Array | null | undefined): Buffer | null {
  return values ? float32ToBlob(values) : null;
}

/** Like `blobToFloat32`, passing null through (for optional columns). */
export function optionalBlobToFloat32(blob: Uint8Array | null): Float32Array | null {
  return blob ? blobToFloat32(blob) : null;
}
