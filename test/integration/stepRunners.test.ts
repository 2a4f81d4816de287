import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfig, type ExperimentConfig } from '../../src-main/api/config.js';
import { getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import type { MlpSpec } from '../../src-main/engine/nets/mlp.js';
import { netSpecFor } from '../../src-main/engine/nets/velocityNet.js';
import { probeBackend, type Backend } from '../../src-main/engine/onnx/runtime.js';
import { Rng } from '../../src-main/engine/random.js';
import { ImageTrainSession, initialImageState } from '../../src-main/engine/train/imageTrainSession.js';
import { copyState, createMlpRunner, type RunnerKind, type StepRunner } from '../../src-main/engine/train/stepRunner.js';
import { initialState, type TrainState } from '../../src-main/engine/train/trainSession.js';

// CI installs Mesa's software Vulkan driver (lavapipe) and sets FLOWLAB_EXPECT_SOFTWARE_VULKAN:
// there WebGPU runs, and the device-resident runner is compared with the host-fed ones.
const expectSoftwareVulkan = process.env.FLOWLAB_EXPECT_SOFTWARE_VULKAN === '1';

const net: MlpSpec = { kind: 'mlp', dim: 2, width: 16, depth: 2, activation: 'silu', timeFrequencies: 2 };

function config(interpolant: ExperimentConfig['interpolant'] = 'trig'): ExperimentConfig {
  const c = defaultConfig('checkerboard', 5);
  c.net = { kind: 'mlp', width: net.width, depth: net.depth, activation: net.activation, timeFrequencies: net.timeFrequencies };
  c.interpolant = interpolant;
  Object.assign(c.train, { steps: 100, batch: 32, warmupSteps: 3 });
  return c;
}
const points = (seed: number, n = 400) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 ? 1 : -1) + 0.5 * r.normal());
};

function runner(kind: RunnerKind, backend: Backend, o: { base?: Float32Array | null; state?: TrainState; interpolant?: ExperimentConfig['interpolant'] } = {}): Promise<StepRunner> {
  const c = config(o.interpolant);
  return createMlpRunner(kind, { config: c, net, interpolant: getInterpolant(c.interpolant), data: points(3), base: o.base ?? null, state: o.state ?? initialState(net, 5), backend, threads: 1 });
}

/** Runs chunks of these sizes; all losses and gradient norms in order. */
async function advance(r: StepRunner, chunks: number[]): Promise<{ losses: number[]; gradNorms: number[] }> {
  const losses: number[] = [];
  const gradNorms: number[] = [];
  for (const k of chunks) {
    const c = await r.advance(k);
    losses.push(...c.losses);
    gradNorms.push(...c.gradNorms);
  }
  return { losses, gradNorms };
}

const bits = (s: TrainState) => ({ step: s.step, params: Array.from(s.params), m: Array.from(s.m), v: Array.from(s.v), ema: Array.from(s.ema) });

test('the CPU runners (Loop, unrolled pieces) give the same bits, and hand their state over bit for bit', async () => {
  for (const base of [null, points(9, 300)]) {
    const loop = await runner('loop', 'cpu', { base, interpolant: base ? 'linear' : 'stochastic' });
    const unrolled = await runner('unrolled', 'cpu', { base, interpolant: base ? 'linear' : 'stochastic' });
    assert.deepEqual([loop.kind, unrolled.kind], ['loop', 'unrolled']);
    const a = await advance(loop, [23]);
    const b = await advance(unrolled, [7, 3, 13]);
    assert.deepEqual(b, a);
    assert.deepEqual(bits(await unrolled.readState()), bits(await loop.readState()));
    assert.equal(loop.step, 23);

    // a checkpoint from one runner resumes in the other: the same steps as going on in the first
    const handed = await runner('unrolled', 'cpu', { base, interpolant: base ? 'linear' : 'stochastic' });
    await handed.writeState(copyState(await loop.readState()));
    assert.equal(handed.step, 23);
    assert.deepEqual(await advance(handed, [12]), await advance(loop, [12]));
    assert.deepEqual(bits(await handed.readState()), bits(await loop.readState()));
    for (const r of [loop, unrolled, handed]) await r.dispose();
  }
});

test('undo returns a runner to the state before its last chunk, which then trains the same again', async () => {
  for (const kind of ['loop', 'unrolled'] as const) {
    const r = await runner(kind, 'cpu');
    await advance(r, [5]);
    const before = bits(await r.readState());
    const first = await advance(r, [9]);
    assert.notDeepEqual(bits(await r.readState()).params, before.params);
    await r.undo();
    assert.equal(r.step, 5);
    assert.deepEqual(bits(await r.readState()), before);
    assert.deepEqual(await advance(r, [9]), first);
    await r.undo();
    await assert.rejects(r.undo(), /nothing to undo/);
    await assert.rejects(r.writeState({ ...initialState(net, 1), params: new Float32Array(3) }), /the state has 3 parameters, the net needs \d+/);
    await r.dispose();
  }
  await assert.rejects(runner('image', 'cpu'), /'image' is not a runner of the MLP training program/);
});

test('the image runner: one step per call, undo and state hand-over keep its run bit for bit', async () => {
  const c = defaultConfig('squares', 7, true);
  c.net = { kind: 'unet', baseChannels: 4, channelMults: [1, 2], blocksPerLevel: 1, attention: false, timeFrequencies: 2 };
  Object.assign(c.train, { steps: 10, batch: 2, warmupSteps: 1 });
  const unet = netSpecFor(c.net, [1, 8, 8]);
  const images = { name: 'noise', source: 'generated' as const, pixels: Uint8Array.from({ length: 16 * 64 }, (_, i) => (i * 2654435761) >>> 24), n: 16, c: 1, h: 8, w: 8 };
  const make = () => ImageTrainSession.create({ config: c, net: unet, interpolant: getInterpolant('trig'), images, state: initialImageState(unet, 7), backend: 'cpu', threads: 1 });
  const a = await make();
  const b = await make();
  assert.equal(a.kind, 'image');
  const la = await advance(a, [2, 2]);
  await advance(b, [2]);
  await b.writeState(copyState(await b.readState()));
  await advance(b, [1]);
  await b.undo();
  assert.equal(b.step, 2);
  const lb = await advance(b, [2]);
  assert.deepEqual(lb.losses, la.losses.slice(2));
  assert.deepEqual(bits(await b.readState()), bits(await a.readState()));
  await a.dispose();
  await b.dispose();
});

test('on WebGPU (a GPU, or lavapipe in CI) the unrolled and device-resident runners agree with each other and with the CPU', async (t) => {
  if ((await probeBackend('webgpu')) !== null) {
    assert.equal(expectSoftwareVulkan, false, 'CI expected WebGPU to run on its software Vulkan device');
    t.diagnostic('WebGPU does not run here: nothing to compare');
    return;
  }
  const close = (x: number[], y: number[], what: string) => {
    assert.equal(x.length, y.length);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-4 * Math.max(1, Math.abs(y[i])), `${what} ${i}: ${x[i]} vs ${y[i]}`);
  };
  for (const base of [null, points(9, 300)]) {
    const o = { base, interpolant: (base ? 'linear' : 'trig') as ExperimentConfig['interpolant'] };
    const cpu = await runner('loop', 'cpu', o);
    const unrolled = await runner('unrolled', 'webgpu', o);
    const device = await runner('device', 'webgpu', o);
    assert.equal(device.kind, 'device');
    const a = await advance(cpu, [13]);
    const b = await advance(unrolled, [13]);
    // a chunk that is not a multiple of the piece size runs its remainder as a shorter piece
    const d = await advance(device, [10, 3]);
    assert.equal(device.step, 13);
    close(b.losses, a.losses, 'unrolled loss');
    // one backend, the same program pieces: the device-resident state gives the host-fed bits
    assert.deepEqual(d.losses, b.losses);
    const ds = await device.readState();
    assert.deepEqual(bits(ds), bits(await unrolled.readState()));

    // undo restores the device state; writing a host state continues from it
    await device.advance(4);
    await device.undo();
    assert.deepEqual(bits(await device.readState()), bits(ds));
    await device.writeState(copyState(await cpu.readState()));
    const after = await advance(device, [5]);
    close(after.losses, (await advance(cpu, [5])).losses, 'after writeState');
    for (const r of [cpu, unrolled, device]) await r.dispose();
  }
});
