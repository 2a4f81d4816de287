import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUnetSpec, unetInitParams, unetParamLayout, type UnetSpec } from '../../../../src-main/engine/nets/unet.js';
import { NETS } from '../../../../src-main/engine/nets/registry.js';
import { initParams, paramLayout } from '../../../../src-main/engine/nets/mlp.js';
import { grad } from '../../../../src-main/engine/onnx/autodiff.js';
import { Graph } from '../../../../src-main/engine/onnx/graph.js';
import * as op from '../../../../src-main/engine/onnx/ops/index.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { cpuChannelBlock, createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { Rng } from '../../../../src-main/engine/random.js';

const small: UnetSpec = { channels: 1, height: 8, width: 8, baseChannels: 8, channelMults: [1, 2], blocksPerLevel: 1, attention: true, timeFrequencies: 2 };

/** loss = sum(w * v(t, x)) in float64 for a fixed random w, with its gradients for the parameters and x. */
async function lossProgram(spec: UnetSpec, n: number, block = 0) {
  return op.withConvChannelBlock(block, () => lossGraph(spec, n));
}

function lossGraph(spec: UnetSpec, n: number) {
  const g = new Graph('unet_loss');
  const { total } = unetParamLayout(spec);
  const flat = g.input('params', 'float32', [total]);
  const x = g.input('x', 'float32', [n, spec.channels, spec.height, spec.width]);
  const t = g.input('t', 'float32', [n, 1]);
  const v = NETS.unet.velocity(spec, flat, x, t);
  const rng = new Rng(5, 7);
  const w = g.constant(Float64Array.from({ length: v.size! }, () => rng.normal()), 'float64', v.staticShape());
  const loss = op.reduceSum(op.mul(op.cast(v, 'float64'), w));
  const [gp, gx] = grad(loss, [flat, x]);
  g.setNamedOutputs({ loss, v, gp, gx });
  return createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
}

test('the U-Net maps [N, C, H, W] and t [N, 1] to a velocity of the same shape, its layout covering every parameter once', async () => {
  const { slots, total } = unetParamLayout(small);
  let next = 0;
  for (const s of slots) {
    assert.equal(s.offset, next);
    assert.equal(s.size, s.shape.reduce((a, b) => a * b, 1));
    next += s.size;
  }
  assert.equal(next, total);
  assert.equal(new Set(slots.map((s) => s.name)).size, slots.length);
  assert.ok(slots.some((s) => s.name === 'mid.attn.qkv.w'));
  const p = unetInitParams(small, 3);
  assert.deepEqual(p, unetInitParams(small, 3));
  const s = await lossProgram(small, 2);
  const out = await s.run({
    params: new ort.Tensor('float32', p, [total]),
    x: new ort.Tensor('float32', new Float32Array(2 * 64).fill(0.3), [2, 1, 8, 8]),
    t: new ort.Tensor('float32', Float32Array.from([0.1, 0.9]), [2, 1]),
  });
  assert.deepEqual(out.v.dims, [2, 1, 8, 8]);
  const v = out.v.data as Float32Array;
  assert.ok(v.every(Number.isFinite));
  // t enters: the two samples share x but not t.
  assert.notDeepEqual(v.slice(0, 64), v.slice(64));
  await s.release();
});

/**
 * Float32 central differences D(h) err by ~h^2 f'''/6 (truncation) plus ~1e-7 |loss| / h
 * (rounding): at h = 1e-2 both were ~1e-3 here. Richardson's (4 D(h/2) - D(h)) / 3 cancels the
 * h^2 term, which leaves the rounding, ~5e-4 at h = 2e-2.
 */
const FD_STEP = 2e-2;
const TOL = 3e-3;

test('a whole small U-Net (8x8, 8 base channels, 2 levels, attention) has the loss gradient of central finite differences', async () => {
  const n = 2;
  const { slots, total } = unetParamLayout(small);
  const rng = new Rng(11, 3);
  const params = unetInitParams(small, 4);
  // Norm scales and shifts away from 1 and 0 so every path carries a generic gradient.
  for (const s of slots) if (s.init !== 'uniform') for (let i = 0; i < s.size; i++) params[s.offset + i] = s.init === 'one' ? 0.5 + rng.uniform() : rng.uniform() - 0.5;
  const x = Float32Array.from({ length: n * 64 }, () => rng.normal());
  const t = Float32Array.from([0.25, 0.7]);
  const session = await lossProgram(small, n);
  const feeds = (p: Float32Array, xs: Float32Array) => ({
    params: new ort.Tensor('float32', p, [total]),
    x: new ort.Tensor('float32', xs, [n, 1, 8, 8]),
    t: new ort.Tensor('float32', t, [n, 1]),
  });
  const lossAt = async (p: Float32Array, xs: Float32Array) => ((await session.run(feeds(p, xs))).loss.data as Float64Array)[0];
  const out = await session.run(feeds(params, x));
  const gp = out.gp.data as Float32Array;
  const gx = out.gx.data as Float32Array;
  let worst = 0;
  let checked = 0;
  const check = async (analytic: number, perturb: (d: number) => Promise<number>, where: string) => {
    const central = async (h: number) => ((await perturb(h)) - (await perturb(-h))) / (2 * h);
    const numeric = (4 * (await central(FD_STEP / 2)) - (await central(FD_STEP))) / 3;
    const err = Math.abs(numeric - analytic) / Math.max(1, Math.abs(numeric));
    assert.ok(err < TOL, `${where}: autodiff ${analytic}, finite differences ${numeric}`);
    worst = Math.max(worst, err);
    checked++;
  };
  // Two entries of every parameter tensor (first and a random one), and a few pixels of x.
  for (const s of slots) {
    for (const j of [s.offset, s.offset + Math.floor(rng.uniform() * s.size)]) {
      await check(gp[j], (d) => {
        const p = params.slice();
        p[j] += d;
        return lossAt(p, x);
      }, `${s.name}[${j - s.offset}]`);
    }
  }
  for (const j of [0, 9, 37, 64 + 20, 127]) {
    await check(gx[j], (d) => {
      const xs = x.slice();
      xs[j] += d;
      return lossAt(params, xs);
    }, `x[${j}]`);
  }
  assert.ok(checked > 2 * slots.length, `checked ${checked}, worst relative error ${worst}`);
  await session.release();
});

test('with Convs in the blocked layout of ONNX Runtime the U-Net gives the same velocity and gradients', async (t) => {
  const block = await cpuChannelBlock();
  if (block === 0) return t.skip('no blocked-layout kernels in this ONNX Runtime build or CPU');
  // Base 16 on a 16-block CPU: most convs are blocked, the first (1 channel) and last (1 output) are not.
  const spec: UnetSpec = { ...small, baseChannels: block };
  const n = 2;
  const { slots, total } = unetParamLayout(spec);
  const rng = new Rng(12, 3);
  const params = unetInitParams(spec, 6);
  for (const s of slots) if (s.init !== 'uniform') for (let i = 0; i < s.size; i++) params[s.offset + i] = s.init === 'one' ? 0.5 + rng.uniform() : rng.uniform() - 0.5;
  const feeds = {
    params: new ort.Tensor('float32', params, [total]),
    x: new ort.Tensor('float32', Float32Array.from({ length: n * 64 }, () => rng.normal()), [n, 1, 8, 8]),
    t: new ort.Tensor('float32', Float32Array.from([0.25, 0.7]), [n, 1]),
  };
  const plain = await lossProgram(spec, n);
  const blocked = await lossProgram(spec, n, block);
  const [a, b] = [await plain.run(feeds), await blocked.run(feeds)];
  for (const name of ['v', 'gp', 'gx']) {
    const [p, q] = [a[name].data as Float32Array, b[name].data as Float32Array];
    const scale = p.reduce((m, u) => Math.max(m, Math.abs(u)), 0);
    const worst = p.reduce((m, u, i) => Math.max(m, Math.abs(u - q[i])), 0);
    // Float32 sums in another order: agreement to ~1e-6 of the largest entry.
    assert.ok(worst <= 1e-5 * scale, `${name}: blocked and plain differ by ${worst} (largest entry ${scale})`);
  }
  await plain.release();
  await blocked.release();
});

test('an image the levels do not divide is refused with a one-line error naming the field', () => {
  const bad: UnetSpec = { ...small, height: 28, width: 28, channelMults: [1, 2, 2, 2] };
  assert.throws(() => checkUnetSpec(bad), (e: Error) => /^net\.channelMults: .*divisible by 8; 28x28 is not$/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => unetParamLayout(bad), /divisible by 8/);
  assert.doesNotThrow(() => checkUnetSpec({ ...bad, channelMults: [1, 2, 2] }));
});

test('the net registry gives the MLP its own layout and initialiser', () => {
  const spec = { kind: 'mlp' as const, dim: 2, width: 8, depth: 2, activation: 'silu' as const, timeFrequencies: 1 };
  assert.deepEqual(NETS.mlp.layout(spec), paramLayout(spec));
  assert.deepEqual(NETS.mlp.init(spec, 5), initParams(spec, 5));
});
