import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../../../src-main/engine/onnx/graph.js';
import * as op from '../../../../src-main/engine/onnx/ops/index.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { hashBitsGraph, indexFromBits, normalFromUniforms, uniformFromBits } from '../../../../src-main/engine/onnx/randomGraph.js';
import { Rng, bitsToUniform, hashBits, streamKey } from '../../../../src-main/engine/random.js';

async function draw(key: number, count: number) {
  const g = new Graph('rng');
  const k = g.input('key', 'uint32', []);
  const bits = hashBitsGraph(g, k, count);
  const u = uniformFromBits(bits);
  g.setNamedOutputs({ bits, u, z: normalFromUniforms(u), i: indexFromBits(bits, 1000) });
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
  const out = await session.run({ key: new ort.Tensor('uint32', Uint32Array.of(key), []) });
  return { bits: out.bits.data as Uint32Array, u: out.u.data as Float32Array, z: out.z.data as Float32Array, i: out.i.data as BigInt64Array };
}

test('in-graph hash bits and uniforms are bit-identical to the TypeScript generator', async () => {
  for (const [seed, stream, counter] of [[1, 0, 0], [123456789, 3, 77], [0xffffffff, 7, 0xfffffffe]]) {
    const key = streamKey(seed, stream, counter);
    const { bits, u } = await draw(key, 512);
    const rng = new Rng(seed, stream, counter);
    for (let k = 0; k < u.length; k++) {
      assert.equal(bits[k], hashBits(key, k));
      assert.equal(u[k], Math.fround(rng.uniform()), `draw ${k}`);
    }
  }
});

test('in-graph normals match Box-Muller in TypeScript to float32 precision and look standard normal', async () => {
  const { z } = await draw(streamKey(42, 2, 5), 4000);
  const rng = new Rng(42, 2, 5);
  let maxErr = 0;
  for (let k = 0; k < z.length; k++) maxErr = Math.max(maxErr, Math.abs(z[k] - rng.normal()));
  assert.ok(maxErr < 1e-5, `max difference ${maxErr}`);
  const mean = z.reduce((a, b) => a + b, 0) / z.length;
  const varc = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
  assert.ok(Math.abs(mean) < 0.06 && Math.abs(varc - 1) < 0.08, `mean ${mean} var ${varc}`);
});

test('in-graph indices are the hash bits modulo n, and different keys give different streams', async () => {
  const key = streamKey(9, 4, 10);
  const a = await draw(key, 256);
  const b = await draw(streamKey(9, 4, 11), 256);
  for (let k = 0; k < 256; k++) assert.equal(Number(a.i[k]), hashBits(key, k) % 1000);
  assert.notDeepEqual(Array.from(a.u), Array.from(b.u));
  assert.ok(a.u.every((x) => x > 0 && x < 1));
  assert.equal(bitsToUniform(0), 0.5 / 16777216);
});

test('a column of keys [k, 1] gives every key its own row of hash bits, as the TypeScript generator', async () => {
  const g = new Graph('rng-keys');
  const keys = g.input('keys', 'uint32', ['k']);
  g.setNamedOutputs({ bits: hashBitsGraph(g, op.unsqueeze(keys, [1]), 300) });
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads: 2 });
  const ks = Uint32Array.from([1, 2, 3, 4, 5, 6, 7], (s) => streamKey(s, 0, s * 11));
  const bits = (await session.run({ keys: new ort.Tensor('uint32', ks, [ks.length]) })).bits.data as Uint32Array;
  assert.equal(bits.length, ks.length * 300);
  for (let r = 0; r < ks.length; r++) for (let i = 0; i < 300; i++) assert.equal(bits[r * 300 + i], hashBits(ks[r], i), `key ${r}, index ${i}`);
});
