import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from '../../../src-main/api/wire.js';

describe('the WebSocket wire codec', () => {
  test('typed arrays round-trip bit for bit, NaN and -0 included', () => {
    const f32 = new Float32Array([1.5, -0, Number.NaN, 3.4028234663852886e38, 1e-45]);
    const f64 = new Float64Array([Math.PI, Number.NEGATIVE_INFINITY]);
    const u8 = new Uint8Array([0, 255, 10]);
    const back = decodeMessage(encodeMessage({ a: { f32, list: [f64] }, u8, s: 'x' })) as any;
    assert.ok(back.a.f32 instanceof Float32Array);
    assert.deepEqual(new Uint8Array(back.a.f32.buffer), new Uint8Array(f32.buffer));
    assert.ok(back.a.list[0] instanceof Float64Array);
    assert.deepEqual([...back.a.list[0]], [...f64]);
    assert.deepEqual([...back.u8], [0, 255, 10]);
    assert.equal(back.s, 'x');
  });

  test('a view into a larger buffer sends only its own bytes', () => {
    const big = new Float32Array([1, 2, 3, 4]);
    const back = decodeMessage(encodeMessage(big.subarray(1, 3))) as Float32Array;
    assert.deepEqual([...back], [2, 3]);
  });

  test('large arrays survive (chunked base64)', () => {
    const a = new Float32Array(200_000).map((_, i) => i * 0.5);
    const back = decodeMessage(encodeMessage({ a })) as { a: Float32Array };
    assert.equal(back.a.length, a.length);
    assert.equal(back.a[199_999], 99_999.5);
  });

  test('a malformed typed payload is an error, not silent garbage', () => {
    assert.throws(() => decodeMessage('{"x":{"$typed":"f32","b64":"AAA="}}'), /multiple of 4/);
    assert.throws(() => decodeMessage('{"x":{"$typed":"i64","b64":""}}'), /unknown typed array tag/);
  });
});
