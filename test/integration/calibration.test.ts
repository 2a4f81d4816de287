import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../../src-main/api/config.js';
import { calibrate, chooseRunner, decide, machineKey, sizeBucket, type Calibration, type CalibrationEntry } from '../../src-main/engine/calibration.js';
import { availableBackends, cudaFailure, missingPrerequisite, notShippedReason, probeBackend, probeHardware } from '../../src-main/engine/onnx/runtime.js';
import { CALIBRATION_FILE, loadCalibration, saveCalibration, trainPlacement, usableBackends } from '../../src-main/service/calibration.js';
import { trainRun } from '../../src-main/service/train.js';
import { openStore } from '../../src-main/store/index.js';
import { cli, lastJson } from '../helpers/cli.js';

const expectSoftwareVulkan = process.env.FLOWLAB_EXPECT_SOFTWARE_VULKAN === '1';
const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `flowlab-${name}-`));

let measured: Promise<Calibration> | null = null;
/** One real, short calibration of the CPU backend, shared by the tests below. */
const cpuCalibration = () => (measured ??= calibrate({ backends: ['cpu'], jobs: ['train-mlp', 'sample'], sizes: ['small'], seconds: 0.05, threads: 1 }));

test('a calibration measures each CPU runner and sampling; the decision and the runner are the fastest measured', async () => {
  const c = await cpuCalibration();
  assert.deepEqual(c.key, await machineKey());
  assert.deepEqual(c.entries.map((e) => [e.job, e.size, e.backend, e.runner ?? null, e.unit]), [
    ['train-mlp', 'small', 'cpu', 'loop', 'steps/s'],
    ['train-mlp', 'small', 'cpu', 'unrolled', 'steps/s'],
    ['sample', 'small', 'cpu', null, 'samples/s'],
  ]);
  for (const e of c.entries) assert.ok(e.perSecond !== null && Number.isFinite(e.perSecond) && e.perSecond > 0, JSON.stringify(e));
  const [loop, unrolled] = c.entries;
  const faster = loop.perSecond! >= unrolled.perSecond! ? loop : unrolled;
  assert.equal(chooseRunner('cpu', 'train-mlp', 'small', c), faster.runner);
  assert.deepEqual(decide(c, 'train-mlp', 'small', ['cpu']), { job: 'train-mlp', size: 'small', backend: 'cpu', runner: faster.runner, perSecond: faster.perSecond, why: 'fastest measured' });
  assert.equal(decide(c, 'sample', 'small', ['cpu']).perSecond, c.entries[2].perSecond);
  // a bucket nothing measured: the defaults (train on the CPU with the Loop; the U-Net's one runner)
  assert.deepEqual(decide(c, 'train-mlp', 'large', ['cpu']), { job: 'train-mlp', size: 'large', backend: 'cpu', runner: 'loop', perSecond: null, why: 'not measured: training stays on the CPU' });
  assert.equal(chooseRunner('webgpu', 'train-mlp', 'small', c), 'unrolled');
  assert.equal(chooseRunner('cpu', 'train-unet', 'small', c), 'image');
});

test("auto's decision: a faster backend wins only where it runs on a hardware device", async () => {
  const c = await cpuCalibration();
  const best = Math.max(...c.entries.filter((e) => e.job === 'train-mlp').map((e) => e.perSecond!));
  const gpu = (over: Partial<CalibrationEntry>): Calibration => ({ ...c, entries: [...c.entries, { job: 'train-mlp', size: 'small', backend: 'webgpu', runner: 'device', perSecond: best * 10, unit: 'steps/s', ...over }] });
  // measured faster on a software device: measured, never chosen
  assert.equal(decide(gpu({ software: true }), 'train-mlp', 'small', ['webgpu', 'cpu']).backend, 'cpu');
  // faster, but it does not run on a hardware device here
  assert.equal(decide(gpu({}), 'train-mlp', 'small', ['cpu']).backend, 'cpu');
  // faster and usable: chosen, with the runner measured fastest for it
  assert.deepEqual(decide(gpu({}), 'train-mlp', 'small', ['webgpu', 'cpu']), { job: 'train-mlp', size: 'small', backend: 'webgpu', runner: 'device', perSecond: best * 10, why: 'fastest measured' });
  // slower: the CPU keeps it
  assert.equal(decide(gpu({ perSecond: best / 10 }), 'train-mlp', 'small', ['webgpu', 'cpu']).backend, 'cpu');
  // a failed measurement counts for nothing
  assert.equal(decide(gpu({ perSecond: null, error: 'x' }), 'train-mlp', 'small', ['webgpu', 'cpu']).backend, 'cpu');
  // nothing measured: training on the CPU, solving on the first usable GPU backend
  assert.equal(decide(null, 'train-mlp', 'small', ['webgpu', 'cpu']).backend, 'cpu');
  assert.equal(decide(null, 'sample', 'large', ['webgpu', 'cpu']).backend, 'webgpu');
  assert.equal(decide(null, 'sample', 'large', ['cpu']).backend, 'cpu');
});

test('size buckets: the default MLP at its batch and the default MNIST U-Net are large, the calibration\'s small nets small', () => {
  assert.equal(sizeBucket('train-mlp', { params: 134_000, rows: 1024 }), 'large');
  assert.equal(sizeBucket('train-mlp', { params: 4_500, rows: 256 }), 'small');
  assert.equal(sizeBucket('train-unet', { params: 1e6, rows: 16, pixels: 784 }), 'large');
  assert.equal(sizeBucket('train-unet', { params: 1e4, rows: 4, pixels: 64 }), 'small');
  assert.equal(sizeBucket('sample', { params: 134_000, rows: 65_536 }), 'large');
  assert.equal(sizeBucket('sample', { params: 4_500, rows: 1024 }), 'small');
});

test('the cache is keyed by machine (CPU, cores, adapters) and app version, one calibration per key', async () => {
  const dir = tempDir('calibration');
  const c = await cpuCalibration();
  assert.equal(loadCalibration(dir, c.key), null);
  saveCalibration(dir, c);
  assert.deepEqual(loadCalibration(dir, c.key), c);
  for (const other of [{ ...c.key, app: `${c.key.app}-next` }, { ...c.key, cores: c.key.cores + 1 }, { ...c.key, cpu: 'another CPU' }, { ...c.key, adapters: [...c.key.adapters, 'pci 10de:2330'] }, { ...c.key, onnxruntime: '0.0.1' }]) {
    assert.equal(loadCalibration(dir, other), null, JSON.stringify(other));
  }
  // another machine's calibration in the same folder is kept beside this one; saving again replaces only its own
  const elsewhere = { ...c, key: { ...c.key, cpu: 'another CPU' }, seconds: 99 };
  saveCalibration(dir, elsewhere);
  saveCalibration(dir, { ...c, seconds: 7 });
  assert.equal(loadCalibration(dir, c.key)?.seconds, 7);
  assert.equal(loadCalibration(dir, elsewhere.key)?.seconds, 99);
  assert.equal((JSON.parse(readFileSync(join(dir, CALIBRATION_FILE), 'utf8')) as { calibrations: unknown[] }).calibrations.length, 2);
  // an unreadable or malformed file is no calibration
  writeFileSync(join(dir, CALIBRATION_FILE), '{"calibrations": [{"key": 1}]}');
  assert.equal(loadCalibration(dir, c.key), null);
  writeFileSync(join(dir, CALIBRATION_FILE), 'not json');
  assert.equal(loadCalibration(dir, c.key), null);
});

test('the service trains on the runner the calibration measured fastest, with the same losses as the Loop', async () => {
  const c = await cpuCalibration();
  const favour = (runner: 'loop' | 'unrolled'): Calibration => ({ ...c, entries: c.entries.map((e) => (e.runner ? { ...e, perSecond: e.runner === runner ? 2000 : 1000 } : e)) });
  const config = defaultConfig('8gaussians', 4);
  config.net = { kind: 'mlp', width: 16, depth: 2, activation: 'silu', timeFrequencies: 2 };
  Object.assign(config.train, { steps: 60, batch: 64 });
  config.threads = 1;
  // named, so that a machine with a GPU does not calibrate first (auto is checked by trainPlacement)
  config.backend = 'cpu';
  const runs: { runner?: string; losses: number[]; params: number[] }[] = [];
  for (const dir of [tempDir('runner-none'), tempDir('runner-unrolled'), tempDir('runner-loop')]) {
    if (dir.includes('runner-unrolled')) saveCalibration(dir, favour('unrolled'));
    if (dir.includes('runner-loop')) saveCalibration(dir, favour('loop'));
    for (const backend of dir.includes('runner-none') ? (['cpu'] as const) : (['auto', 'cpu'] as const)) {
      const expected = dir.includes('runner-unrolled') ? 'unrolled' : 'loop';
      assert.deepEqual(await trainPlacement(dir, backend, 'train-mlp', 'small', 1), { backend: 'cpu', runner: expected }, `${dir} ${backend}`);
    }
    const store = openStore(dir);
    const s = await trainRun({ store, config });
    assert.equal(s.status, 'completed');
    runs.push({ runner: s.runner, losses: Array.from(store.metricsSeries(s.runId, 'loss').values), params: Array.from(store.latestCheckpoint(s.runId)!.params) });
    store.close();
  }
  assert.deepEqual(runs.map((r) => r.runner), ['loop', 'unrolled', 'loop']);
  assert.equal(runs[0].losses.length, 60);
  assert.deepEqual(runs[1].losses, runs[0].losses);
  assert.deepEqual(runs[1].params, runs[0].params);
});

test('flowlab backends shows the cached decisions and the numbers behind them', async () => {
  const dir = tempDir('backends-cli');
  mkdirSync(dir, { recursive: true });
  const c = await cpuCalibration();
  saveCalibration(dir, c);
  const json = cli(['backends', '--json', '--data-dir', dir]);
  assert.equal(json.code, 0, json.stderr);
  const out = lastJson(json.stdout) as { calibration: Calibration; decisions: { job: string; size: string; backend: string; runner?: string; perSecond: number | null }[] };
  assert.deepEqual(out.calibration, c);
  assert.equal(out.decisions.length, 6);
  const mlp = out.decisions.find((d) => d.job === 'train-mlp' && d.size === 'small')!;
  assert.deepEqual([mlp.backend, mlp.runner, mlp.perSecond], ['cpu', chooseRunner('cpu', 'train-mlp', 'small', c), Math.max(c.entries[0].perSecond!, c.entries[1].perSecond!)]);
  const text = cli(['backends', '--data-dir', dir]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^auto, from the calibration of \S+ \(\d+\.\d s; CPU threads: 1\):$/m);
  assert.match(text.stdout, /^ {2}train-mlp small +-> cpu \((loop|unrolled) runner\) at \d+\.\d steps\/s: fastest measured$/m);
  assert.match(text.stdout, /^ {6}cpu loop +\d+\.\d steps\/s$/m);
  assert.match(text.stdout, /^ {2}train-unet large +-> cpu \(image runner\): not measured: training stays on the CPU$/m);
  const empty = cli(['backends', '--data-dir', tempDir('backends-none')]);
  assert.match(empty.stdout, /^auto: nothing measured on this machine yet \(`flowlab backends --calibrate` measures in seconds\)$/m);
});

test('every GPU provider is listed; CUDA, DirectML and CoreML say why they are missing', async () => {
  const list = await availableBackends();
  assert.deepEqual(list.map((b) => b.name), ['cuda', 'dml', 'coreml', 'webgpu', 'cpu']);
  const cuda = list[0];
  if (process.platform === 'linux' && process.arch === 'x64' && missingPrerequisite('cuda') !== null) {
    assert.equal(cuda.available, false);
    assert.match(cuda.reason!, /^cuda is unavailable: ONNX Runtime's CUDA provider \(libonnxruntime_providers_cuda\.so\) is not installed; install it with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` \(its install script fetches it unless ONNXRUNTIME_NODE_INSTALL=skip was set\)/);
  }
  if (process.platform === 'linux') {
    assert.equal(list[1].reason, `dml is unavailable: not shipped for this platform (linux/${process.arch}); onnxruntime-node's prebuilt binding has it on Windows`);
    assert.equal(list[2].reason, `coreml is unavailable: not shipped for this platform (linux/${process.arch}); onnxruntime-node's prebuilt binding has it on macOS`);
  }
  // with the provider library in place, the CUDA probe goes on to the device; its failures in words
  const bin = tempDir('ort-bin');
  writeFileSync(join(bin, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'), '');
  assert.equal(missingPrerequisite('cuda', bin), null);
  assert.match(missingPrerequisite('cuda', tempDir('ort-empty'))!, /CUDA provider .* is not installed; install it with/);
  assert.match(cudaFailure('libcublasLt.so.12: cannot open shared object file: No such file or directory'), /^cuda is unavailable: the CUDA libraries are not installed \(ONNX Runtime's CUDA provider needs CUDA 12 and cuDNN 9 on the library path: libcublasLt/);
  assert.match(cudaFailure('CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version'), /^cuda is unavailable: no NVIDIA driver here/);
  assert.equal(notShippedReason('cuda', 'darwin/arm64'), "cuda is unavailable: not shipped for this platform (darwin/arm64); onnxruntime-node's prebuilt binding has it on Linux x64");
});

test('on lavapipe (CI) WebGPU is measured at the small sizes and never chosen', async (t) => {
  if ((await probeBackend('webgpu')) !== null || (await probeHardware('webgpu')) === null) {
    assert.equal(expectSoftwareVulkan, false, 'CI expected WebGPU to run on its software Vulkan device');
    t.diagnostic('WebGPU does not run here on a software device only: nothing to check');
    return;
  }
  const soft = await calibrate({ backends: ['webgpu'], jobs: ['train-mlp'], sizes: ['small', 'large'], seconds: 0.05, threads: 1 });
  const small = soft.entries.filter((e) => e.size === 'small');
  assert.deepEqual(small.map((e) => e.runner), ['unrolled', 'device']);
  for (const e of small) assert.ok(e.software === true && e.perSecond !== null && e.perSecond > 0, JSON.stringify(e));
  for (const e of soft.entries.filter((x) => x.size === 'large')) assert.deepEqual([e.perSecond, e.software, e.error], [null, true, 'not measured on a software device at this size']);
  const both: Calibration = { ...soft, entries: [...soft.entries, ...(await cpuCalibration()).entries] };
  const usable = await usableBackends();
  assert.ok(!usable.includes('webgpu'));
  // even where the software device measured faster than the CPU
  const faster: Calibration = { ...both, entries: both.entries.map((e) => (e.backend === 'webgpu' && e.perSecond ? { ...e, perSecond: 1e9 } : e)) };
  assert.equal(decide(faster, 'train-mlp', 'small', usable).backend, 'cpu');
  assert.equal(decide(faster, 'train-mlp', 'small', [...usable, 'webgpu']).backend, 'cpu');
});
