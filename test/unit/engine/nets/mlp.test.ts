import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initParams, paramLayout, forwardFlopsPerSample, type MlpSpec } from '../../../../src-main/engine/nets/mlp.js';
import { buildVelocityProgram, exportVelocityModel } from '../../../../src-main/engine/sample/velocityProgram.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { referenceVelocity } from '../../../helpers/referenceMlp.js';

const spec: MlpSpec = { kind: 'mlp', dim: 3, width: 16, depth: 2, activation: 'silu', timeFrequencies: 2 };

test('the flat parameter layout covers every weight and bias exactly once', () => {
  const { slots, total } = paramLayout(spec);
  // features 3 + 1 + 4 = 8 -> 16 -> 16 -> 3
  assert.equal(total, 8 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3);
  let next = 0;
  for (const s of slots) {
    assert.equal(s.offset, next);
    next += s.size;
  }
  assert.equal(forwardFlopsPerSample({ ...spec, dim: 2, width: 256, depth: 3, timeFrequencies: 4 }), 2 * (11 * 256 + 2 * 256 * 256 + 256 * 2));
});

test('initialisation is seeded and bounded by 1/sqrt(fan_in)', () => {
  const a = initParams(spec, 7);
  assert.deepEqual(a, initParams(spec, 7));
  assert.notDeepEqual(a, initParams(spec, 8));
  for (const s of paramLayout(spec).slots) {
    const bound = 1 / Math.sqrt(s.fanIn);
    for (let i = 0; i < s.size; i++) assert.ok(Math.abs(a[s.offset + i]) <= bound);
  }
});

for (const activation of ['silu', 'tanh', 'gelu'] as const) {
  test(`the velocity program (${activation}) and the exported model match a plain TypeScript forward pass`, async () => {
    const sp = { ...spec, activation };
    const params = initParams(sp, 3);
    const n = 9;
    const rng = new Rng(11);
    const x = Float32Array.from({ length: n * sp.dim }, () => rng.normal());
    const t = Float32Array.from({ length: n }, () => rng.uniform());
    const want = referenceVelocity(sp, params, x, t, n);

    const prog = await createSession(buildVelocityProgram(sp), { backend: 'cpu', threads: 1 });
    const feeds = { x: new ort.Tensor('float32', x, [n, sp.dim]), t: new ort.Tensor('float32', t, [n, 1]) };
    const v1 = (await prog.run({ ...feeds, params: new ort.Tensor('float32', params, [params.length]) })).v.data as Float32Array;
    const exported = await createSession(exportVelocityModel(sp, params, { note: 'test' }), { backend: 'cpu', threads: 1 });
    const v2 = (await exported.run(feeds)).v.data as Float32Array;
    for (let i = 0; i < want.length; i++) {
      assert.ok(Math.abs(v1[i] - want[i]) < 1e-5, `program ${v1[i]} vs reference ${want[i]}`);
      assert.ok(Math.abs(v2[i] - v1[i]) < 1e-6, `export ${v2[i]} vs program ${v1[i]}`);
    }
  });
}
