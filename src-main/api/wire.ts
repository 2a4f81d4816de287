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

/**
 * Most base64 text one message may carry. Above the largest import's frame (200 MB as base64 is
 * ~267 MB) and below V8's string limit (~512 MiB characters), past which JSON.stringify would
 * fail only after seconds of encoding.
 */
export const MAX_TYPED_TEXT = 320 * 1024 * 1024;

/** A message too large to encode; nothing was built. */
export class MessageTooLargeError extends Error {
  constructor(readonly chars: number) {
    super(`the message would carry ${Math.round(chars / 1e6)} MB of array data, more than one message may (${Math.round(MAX_TYPED_TEXT / 1e6)} MB)`);
    this.name = 'MessageTooLargeError';
  }
}

/** JSON text of a message; typed arrays become tagged base64. Throws MessageTooLargeError early. */
export function encodeMessage(message: unknown): string {
  let typedChars = 0;
  return JSON.stringify(message, (_key, value: unknown) => {
    // JSON.stringify turns typed arrays into objects before the replacer sees the parent, so
    // typed arrays are caught here at their own key.
    if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Uint8Array) {
      typedChars += Math.ceil(value.byteLength / 3) * 4;
      if (typedChars > MAX_TYPED_TEXT) throw new MessageTooLargeError(typedChars);
    }
    return encodeTyped(value);
  });
}

/**
 * Deepest nesting a message may have. The contract's deepest value (a call carrying a config) is
 * about 6 levels; the limit leaves room and keeps the recursive revival and validation far from
 * the stack's limit (a frame 5,000 levels deep once overflowed it).
 */
export const MAX_MESSAGE_DEPTH = 64;

/** A message that could not be read; `id` is the call's id where the frame still showed it. */
export class WireError extends Error {
  constructor(message: string, readonly id: number | null) {
    super(message);
    this.name = 'WireError';
  }
}

/** Nesting depth of a parsed JSON value, walked without recursion; stops once past `limit`. */
function depthExceeds(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (TAG in value) return decodeTyped(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const next = revive(record[key]);
    // defined, not assigned: a key named "__proto__" must stay a plain property
    if (next !== record[key]) Object.defineProperty(record, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return value;
}

/**
 * The message back from its JSON text, typed arrays restored. Throws a WireError on malformed
 * JSON, a bad typed payload, or nesting deeper than MAX_MESSAGE_DEPTH (carrying the call's id
 * when the top level still showed one, so the caller's call settles).
 */
export function decodeMessage(text: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new WireError((err as Error).message, null);
  }
  const maybeId = (raw as { id?: unknown } | null)?.id;
  const id = typeof maybeId === 'number' && Number.isFinite(maybeId) ? maybeId : null;
  if (depthExceeds(raw, MAX_MESSAGE_DEPTH)) throw new WireError(`the message is nested more than ${MAX_MESSAGE_DEPTH} levels deep`, id);
  try {
    return revive(raw);
  } catch (err) {
    throw new WireError((err as Error).message, id);
  }
}
