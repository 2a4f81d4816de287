import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Rng } from '../../../src-main/engine/random.js';
import { blobToFloat32, float32ToBlob } from '../../../src-main/store/blobs.js';
import { runInit, tempStore } from './tempStore.js';

/** Float32 values covering every class: random bit patterns, NaN payloads, +-0, +-inf, subnormals. */
function awkwardFloats(count: number): Float32Array {
  const bits = new Uint32Array(count);
  const rng = new Rng(11);
  for (let i = 0; i < count; i++) bits[i] = Math.floor(rng.uniform() * 2 ** 32) >>> 0;
  const special = [0x7fc00001, 0xffc12345, 0x7f800001, 0x80000000, 0x00000000, 0x7f800000,
    0xff800000, 0x00000001, 0x807fffff, 0x3f800000];
  bits.set(special.slice(0, Math.min(special.length, count)));
  return new Float32Array(bits.buffer);
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength)
    .equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('float32 blob codec', () => {
  test('encoding is a view of the same bytes, not a copy', () => {
    const values = new Float32Array([1, 2, 3]);
    const blob = float32ToBlob(values);
    values[1] = 42;
    assert.equal(blob.readFloatLE(4), 42);
  });

  test('a subarray encodes only its own elements', () => {
    const values = new Float32Array([1, 2, 3, 4, 5]);
    assert.deepEqual([...blobToFloat32(float32ToBlob(values.subarray(1, 4)))], [2, 3, 4]);
  });

  test('decoding a misaligned slice copies the values exactly', () => {
    const values = awkwardFloats(33);
    const backing = Buffer.alloc(values.byteLength + 3);
    float32ToBlob(values).copy(backing, 3);
    const decoded = blobToFloat32(backing.subarray(3));
    assert.equal(decoded.byteOffset % 4, 0);
    assert.ok(sameBits(decoded, values));
  });

  test('decoding a blob read from SQLite reuses its memory instead of copying', () => {
    const { store } = tempStore();
    const blob = store.db.prepare('SELECT ? AS b').get(float32ToBlob(awkwardFloats(1000))) as { b: Buffer };
    const decoded = blobToFloat32(blob.b);
    assert.equal(decoded.buffer, blob.b.buffer);
    assert.ok(sameBits(decoded, awkwardFloats(1000)));
  });

  test('a blob whose length is not a multiple of 4 bytes is rejected', () => {
    assert.throws(() => blobToFloat32(Buffer.alloc(7)), /not a whole number of float32/);
  });

  test('round trip through SQLite keeps every bit, NaN payloads and -0 included', () => {
    const { store } = tempStore();
    const run = store.createRun(runInit());
    for (const count of [0, 1, 3, 1000, 100_003]) {
      const data = awkwardFloats(count);
      const saved = store.saveSamples(run.id, { kind: 'final', n: count, d: 1, data });
      const loaded = store.getSamples(saved.id).data;
      assert.equal(loaded.length, count);
      assert.ok(sameBits(loaded, data), `bits differ for ${count} values`);
    }
  });
});
