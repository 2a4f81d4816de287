import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_NET, defaultConfig } from '../../src-main/api/config.js';
import { getToy } from '../../src-main/engine/data/index.js';
import { trig } from '../../src-main/engine/interpolants/schedules.js';
import { probeBackend } from '../../src-main/engine/onnx/runtime.js';
import { DeviceStateTrainer } from '../../src-main/engine/train/deviceState.js';
import { initialState, TrainSession } from '../../src-main/engine/train/trainSession.js';

// CI installs Mesa's software Vulkan driver (lavapipe) and sets FLOWLAB_EXPECT_SOFTWARE_VULKAN:
// there WebGPU runs, and the state kept in device buffers must train as the host-fed state does.
const expectSoftwareVulkan = process.env.FLOWLAB_EXPECT_SOFTWARE_VULKAN === '1';

test('training state kept on the WebGPU device gives the losses and state of the host-fed program', async (t) => {
  if ((await probeBackend('webgpu')) !== null) {
    assert.equal(expectSoftwareVulkan, false, 'CI expected WebGPU to run on its software Vulkan device');
    t.diagnostic('WebGPU does not run here: nothing to compare');
    return;
  }
  const config = defaultConfig('checkerboard', 3);
  config.train = { ...config.train, batch: 64 };
  const net = { dim: 2, ...DEFAULT_NET, width: 16, depth: 2 };
  const data = getToy('checkerboard').sample(2000, 1);
  const start = initialState(net, 3);
  const copy = () => ({ step: 0, params: start.params.slice(), m: start.m.slice(), v: start.v.slice(), ema: start.ema.slice() });
  const common = { config, net, interpolant: trig, data, backend: 'webgpu' as const, threads: 1, unroll: 5 };

  const host = await TrainSession.create({ ...common, base: null, state: copy() });
  const device = await DeviceStateTrainer.create({ ...common, state: copy() });
  const a = await host.advance(15);
  const b = await device.advance(15);
  assert.equal(device.step, 15);
  for (let i = 0; i < 15; i++) assert.ok(Math.abs(a.losses[i] - b.losses[i]) <= 1e-4 * Math.max(1, Math.abs(a.losses[i])), `step ${i}: ${a.losses[i]} vs ${b.losses[i]}`);
  const s = await device.readState();
  assert.equal(s.step, 15);
  let moved = 0;
  for (const k of ['params', 'm', 'v', 'ema'] as const) {
    assert.equal(s[k].length, host.state[k].length);
    for (let i = 0; i < s[k].length; i++) assert.ok(Math.abs(s[k][i] - host.state[k][i]) <= 1e-4, `${k}[${i}]`);
  }
  for (let i = 0; i < s.params.length; i++) moved = Math.max(moved, Math.abs(s.params[i] - start.params[i]));
  assert.ok(moved > 1e-4, 'the state read back is the trained one, not the initial one');
  assert.deepEqual(Array.from(s.params), Array.from((await device.readState()).params), 'reading does not disturb the state');
  await host.release();
  await device.release();
});
