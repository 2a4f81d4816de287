import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cli, lastJson, ROOT } from '../helpers/cli.js';
import { ortMessage, probeBackend, probeHardware, probeInChild, resolveBackend } from '../../src-main/engine/onnx/runtime.js';

// The GPU check run CPU against CPU: every program must agree exactly (the programs are
// deterministic), and the report must say so. On a GPU machine the same script compares webgpu
// or cuda with the CPU (BENCHMARKS.md, GPU).
test('scripts/backendCheck.ts: CPU against CPU agrees exactly and passes', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/backendCheck.ts', '--backend', 'cpu', '--threads', '1', '--train-steps', '1,3', '--n', '256', '--speed', 'no'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.pass, true);
  assert.deepEqual(report.training.map((t: { afterSteps: number }) => t.afterSteps), [1, 3]);
  for (const t of report.training) assert.deepEqual([t.lossMaxRel, t.paramsMaxAbs, t.emaMaxAbs], [0, 0, 0]);
  assert.equal(report.sampling.length, 8);
  for (const s of report.sampling) assert.equal(s.maxAbs, 0, `${s.solver} reverse=${s.reverse}`);
  assert.deepEqual(report.divergence, { vMaxAbs: 0, divMaxAbs: 0 });
});

test('scripts/backendCheck.ts: an unavailable backend is reported, not compared; an unknown one is refused', async () => {
  const reason = await probeBackend('cuda');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/backendCheck.ts', '--backend', 'cuda', '--train-steps', '1', '--n', '64', '--speed', 'no'], { cwd: ROOT, encoding: 'utf8' });
  const report = JSON.parse(r.stdout);
  if (reason === null) {
    // a machine with ONNX Runtime's CUDA provider: the comparison itself must pass
    assert.equal(r.status, 0, r.stderr);
    assert.equal(report.pass, true);
  } else {
    assert.equal(r.status, 2);
    assert.deepEqual(report, { backend: 'cuda', available: false, reason });
  }
  const bad = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/backendCheck.ts', '--backend', 'tpu'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown backend 'tpu'; choose webgpu, cuda or cpu/);
});

test('flowlab backends lists each backend with its availability; --check cpu agrees with itself', () => {
  const list = cli(['backends', '--json']);
  assert.equal(list.code, 0, list.stderr);
  // GPU backends are probed in a child process: what their native libraries print while they
  // look for a device (the Vulkan loader and Dawn do on a machine with a loader and no usable
  // adapter, as in CI) stays there.
  assert.equal(list.stderr, '');
  const { backends } = lastJson(list.stdout) as { backends: { name: string; available: boolean; reason?: string; note?: string }[] };
  assert.deepEqual(backends.map((b) => b.name), ['cuda', 'dml', 'coreml', 'webgpu', 'cpu']);
  assert.equal(backends.find((b) => b.name === 'cpu')!.available, true);
  for (const b of backends) if (!b.available) assert.match(b.reason!, new RegExp(b.name));
  for (const b of backends) if (b.available && b.note) assert.match(b.note, /software Vulkan device/);

  const text = cli(['backends', '--check', 'cpu', '--threads', '1', '--train-steps', '1,4', '--n', '128']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /cpu against the CPU: first training step 0\.0e\+0 \(loss\), 0\.0e\+0 \(parameters\); sampling 0\.0e\+0; divergence 0\.0e\+0: agrees within 0\.0001/);

  const bad = cli(['backends', '--check', 'tpu']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: unknown backend 'tpu'; pass --check cuda, dml, coreml, webgpu, cpu$/m);
  const steps = cli(['backends', '--check', 'cpu', '--train-steps', '5,2']);
  assert.equal(steps.code, 1);
  assert.match(steps.stderr, /--train-steps must be increasing whole numbers/);
});

test('a backend probe in a child process gives the in-process verdict, and words an unknown backend', async () => {
  assert.equal(await probeInChild('cpu'), null);
  assert.equal(await probeInChild('tpu' as never), "unknown backend 'tpu'");
});

test('ONNX Runtime errors lose their source location', () => {
  const raw = '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\nmore';
  assert.equal(ortMessage(raw), 'Failed to get a WebGPU adapter: No supported adapters');
  assert.equal(ortMessage('plain message\nsecond line'), 'plain message');
});

// CI installs Mesa's software Vulkan driver (lavapipe) and sets FLOWLAB_EXPECT_SOFTWARE_VULKAN,
// so there WebGPU runs, on the CPU, and these tests take their strict branch.
const expectSoftwareVulkan = process.env.FLOWLAB_EXPECT_SOFTWARE_VULKAN === '1';

test("'auto' solves on a GPU backend only when it has a hardware device", async () => {
  const runs = await probeBackend('webgpu');
  const hardware = await probeHardware('webgpu');
  if (expectSoftwareVulkan) {
    assert.equal(runs, null, 'WebGPU should run on the software Vulkan device');
    assert.match(hardware!, /^webgpu has no hardware device here \(a software Vulkan device/);
  }
  if (runs !== null) assert.notEqual(hardware, null, 'a backend that does not run cannot run on hardware');
  const expected = (await probeHardware('cuda')) === null ? 'cuda' : hardware === null ? 'webgpu' : 'cpu';
  assert.equal(await resolveBackend('auto', 'solve'), expected);
  assert.equal(await resolveBackend('auto', 'train'), 'cpu');
  // asked for by name, a backend that runs is used even on a software device
  if (runs === null) assert.equal(await resolveBackend('webgpu', 'solve'), 'webgpu');
  // the hardware probe hides drivers through the child's environment: with every driver hidden
  // nothing runs, whatever this machine has
  assert.notEqual(await probeInChild('webgpu', { VK_LOADER_DRIVERS_DISABLE: '*' }), null);
});

test('flowlab backends --check webgpu: where WebGPU runs (on a GPU, or on the CPU through lavapipe) it agrees with the CPU', async (t) => {
  if ((await probeBackend('webgpu')) !== null) {
    assert.equal(expectSoftwareVulkan, false, 'CI expected WebGPU to run on its software Vulkan device');
    t.diagnostic('WebGPU does not run here: nothing to compare');
    return;
  }
  const r = cli(['backends', '--check', 'webgpu', '--threads', '2', '--train-steps', '1,3', '--n', '128', '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const report = lastJson(r.stdout) as { pass: boolean; training: { lossMaxRel: number; paramsMaxAbs: number }[]; sampling: { maxAbs: number }[] };
  assert.equal(report.pass, true);
  assert.equal(report.training.length, 2);
  for (const s of report.training) assert.ok(s.lossMaxRel < 1e-4 && s.paramsMaxAbs < 1e-4, JSON.stringify(s));
  assert.equal(report.sampling.length, 8);
  for (const s of report.sampling) assert.ok(s.maxAbs < 1e-4, JSON.stringify(s));
});
