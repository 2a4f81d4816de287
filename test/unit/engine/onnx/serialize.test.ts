import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../../../src-main/engine/onnx/graph.js';
import * as op from '../../../../src-main/engine/onnx/ops/index.js';
import { liveNodes, serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';

const contains = (bytes: Uint8Array, s: string) => Buffer.from(bytes).includes(Buffer.from(s));

/** out = x + sum_{i < 3} scale (a Loop reading an outer-scope constant), plus two dead branches. */
function build() {
  const g = new Graph('dce');
  const x = g.input('x', 'float32', [3]);
  const scale = g.constant(Float32Array.of(2), 'float32', [1]);
  const deadOuter = op.exp(x);
  const r = op.loop(g, 3, [x], ({ carried: [c] }) => {
    op.sin(c); // nothing reads it
    return { carried: [op.add(c, scale)], scans: [] };
  });
  g.setNamedOutputs({ out: r.final[0] });
  return { g, deadOuter, scale };
}

test('serialization leaves out nodes no output depends on, in the main graph and in Loop bodies', async () => {
  const { g, deadOuter, scale } = build();
  const { nodes, live } = liveNodes(g);
  assert.ok(!nodes.includes(deadOuter.node!), 'the dead Exp was kept');
  assert.ok(live.has(scale), 'the constant read inside the Loop body must stay live in the outer graph');
  const body = (g.nodes.find((n) => n.def.op === 'Loop')!.attrs as { body: Graph }).body;
  assert.equal(body.nodes.filter((n) => n.def.op === 'Sin').length, 1, 'the body records the dead Sin');
  assert.ok(!liveNodes(body).nodes.some((n) => n.def.op === 'Sin'), 'the dead Sin was kept');
  const bytes = serializeModel(g);
  assert.ok(!contains(bytes, 'Exp_') && !contains(bytes, 'Sin_'), 'a dead node reached the file');
  const s = await createSession(bytes, { backend: 'cpu', threads: 1 });
  const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1, -1, 0.5), [3]) });
  assert.deepEqual(Array.from(out.out.data as Float32Array), [7, 5, 6.5]);
});
