/**
 * The WebSocket door's JSON codec. Typed arrays (samples, loss series, uploaded files) travel as
 * base64 of their raw little-endian bytes inside a tagged object, so a round trip keeps every
 * bit and a 100k-point sample costs 4/3 of its bytes instead of ~10 characters per number.
 * Runs in Node and in the browser (no Buffer needed).
 */

const TAG = '$typed';

type TypedKind = 'f32' | 'f64' | 'u8';

interface TaggedArray {
  [TAG]: TypedKind;
  b64: string;
}

function bytesOf(a: Float32Array | Float64Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Base64 of raw bytes; chunked so String.fromCharCode never sees a huge argument list. */
export function bytesToBase64(bytes: Uint8Array): string {
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function encodeTyped(value: unknown): unknown {
  if (value instanceof Float32Array) return { [TAG]: 'f32', b64: bytesToBase64(bytesOf(value)) };
  if (value instanceof Float64Array) return { [TAG]: 'f64', b64: bytesToBase64(bytesOf(value)) };
  if (value instanceof Uint8Array) return { [TAG]: 'u8', b64: bytesToBase64(value) };
  return value;
}

function decodeTyped(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !(TAG in value)) return value;
  const tagged = value as TaggedArray;
  const bytes = base64ToBytes(tagged.b64);
  switch (tagged[TAG]) {
    case 'u8':
      return bytes;
    case 'f32':
      if (bytes.byteLength % 4 !== 0) throw new Error('float32 payload is not a multiple of 4 bytes');
      return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
    case 'f64':
      if (bytes.byteLength % 8 !== 0) throw new Error('float64 payload is not a multiple of 8 bytes');
      return new Float64Array(bytes.buffer, 0, bytes.byteLength / 8);
    default:
      throw new Error(`unknown typed array tag '${String(tagged[TAG])}'`);
  }
}

/** JSON text of a message; typed arrays become tagged base64. */
export function encodeMessage(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => {
    // JSON.stringify turns typed arrays into objects before the replacer sees the parent, so
    // typed arrays are caught here at their own key.
    return encodeTyped(value);
  });
}

/** The message back from its JSON text, typed arrays restored. Throws on malformed JSON. */
export function decodeMessage(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => decodeTyped(value));
}
