/**
 * What onnxruntime-node's binding does with GPU-resident tensors on the WebGPU provider:
 *   node --import tsx bench/flowlab/gpuBuffers.ts [--backend webgpu] [--batch 256] [--steps 40] [--hidden 64]
 * Its typings say `preferredOutputLocation: 'gpu-buffer'` is for the web package only; the native
 * binding parses it anyway. Each check runs in its own child process (one of them can abort the
 * process from native code) and prints one line: ok with what it saw, or FAILED / crashed with
 * ONNX Runtime's message. The last line is one JSON object with every finding.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_NET, defaultConfig } from '../../src-main/api/config.js';
import { getToy } from '../../src-main/engine/data/index.js';
import { trig } from '../../src-main/engine/interpolants/schedules.js';
import { Graph } from '../../src-main/engine/onnx/graph.js';
import { add, mul } from '../../src-main/engine/onnx/ops/index.js';
import { ort, probeBackend, type Backend } from '../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../src-main/engine/onnx/serialize.js';
import { SCHED_COLUMNS, stepKeys, stepSchedule } from '../../src-main/engine/train/stepInputs.js';
import { buildTrainProgram } from '../../src-main/engine/train/trainProgram.js';
import { initialState, TrainSession } from '../../src-main/engine/train/trainSession.js';
import { parseArgs } from './common.js';

const args = parseArgs(process.argv.slice(2), { backend: 'webgpu', batch: '256', steps: '40', hidden: '64', only: '' });
const backend = args.backend as Backend;

// y = x + 1 and s = 2x.
const g = new Graph('gpuBuffers');
const x = g.input('x', 'float32', [4]);
g.setNamedOutputs({ y: add(x, 1), s: mul(x, 2) });
const model = serializeModel(g);
const host = () => new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [4]);
const list = (t: ort.Tensor) => `[${Array.from(t.data as Float32Array).join(', ')}]`;
const open = (where: ort.InferenceSession.SessionOptions['preferredOutputLocation']) =>
  ort.InferenceSession.create(model, { executionProviders: [backend], preferredOutputLocation: where, logSeverityLevel: 3 });

const CHECKS: Record<string, () => Promise<string>> = {
  async allOnDevice() {
    const out = await (await open('gpu-buffer')).run({ x: host() });
    return `y.location=${out.y.location}, s.location=${out.s.location}, dims=${JSON.stringify(out.y.dims)}`;
  },
  async readBackGetData() {
    const out = await (await open('gpu-buffer')).run({ x: host() });
    return `getData() = [${Array.from((await out.y.getData()) as Float32Array).join(', ')}] (expected 2, 3, 4, 5)`;
  },
  async readBackData() {
    const out = await (await open('gpu-buffer')).run({ x: host() });
    return `.data = ${list(out.y)}`;
  },
  async perOutputMap() {
    const out = await (await open({ y: 'gpu-buffer', s: 'cpu' })).run({ x: host() });
    return `y.location=${out.y.location}, s.location=${out.s.location}, s=${list(out.s)} (expected 2, 4, 6, 8)`;
  },
  async feedBack() {
    // y stays on the device through 4 calls; s (= 2 y_prev) comes to the host each time.
    const sess = await open({ y: 'gpu-buffer', s: 'cpu' });
    let cur: ort.Tensor = host();
    let s = '';
    for (let i = 0; i < 4; i++) {
      const out = await sess.run({ x: cur });
      cur = out.y;
      s = list(out.s);
    }
    return `s after the 4th call = ${s} (expected 8, 10, 12, 14: the device tensor was fed back 3 times)`;
  },
  async readBackThroughSession() {
    // A second session (x -> x + 1, outputs on the host) takes the device tensor as its input.
    const out = await (await open('gpu-buffer')).run({ x: host() });
    const back = await (await open('cpu')).run({ x: out.y });
    return `y + 1 read on the host = ${list(back.y)} (expected 3, 4, 5, 6)`;
  },
  async dispose() {
    const sess = await open({ y: 'gpu-buffer', s: 'cpu' });
    const out = await sess.run({ x: host() });
    out.y.dispose();
    return `dispose() returned; location now ${out.y.location}`;
  },
  async training() {
    return JSON.stringify(await trainingComparison());
  },
};

/** The unrolled training program run twice from one state: state through the host, and kept on the device. */
async function trainingComparison() {
  const batch = Number(args.batch);
  const steps = Number(args.steps);
  const hidden = Number(args.hidden);
  const config = defaultConfig('checkerboard', 1);
  config.train = { ...config.train, batch };
  const net = { dim: 2, ...DEFAULT_NET, width: hidden, depth: 2 };
  const data = getToy('checkerboard').sample(20_000, 1);
  const start = initialState(net, 1);
  const copy = () => ({ step: 0, params: start.params.slice(), m: start.m.slice(), v: start.v.slice(), ema: start.ema.slice() });
  const hostSession = await TrainSession.create({ config, net, interpolant: trig, data, base: null, state: copy(), backend, threads: 0 });
  const K = hostSession.unrollSteps || 10;
  await hostSession.advance(K); // builds and warms up
  hostSession.state = copy();
  let t = performance.now();
  const hostLosses = (await hostSession.advance(steps)).losses;
  const hostMs = performance.now() - t;

  const program = buildTrainProgram({ net, interpolant: trig, batch, nData: data.length / 2, nBase: null, optim: config.train, timeSampling: config.train.timeSampling ?? 'uniform', unroll: K });
  const state = ['params', 'm', 'v', 'ema'];
  const sess = await ort.InferenceSession.create(program, {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    preferredOutputLocation: Object.fromEntries([...state.map((n) => [`${n}_out`, 'gpu-buffer']), ['losses', 'cpu'], ['grad_norms', 'cpu']]),
  });
  const vec = (a: Float32Array) => new ort.Tensor('float32', a, [a.length]);
  const dataT = new ort.Tensor('float32', data, [data.length / 2, 2]);
  const run = async (n: number) => {
    const first = copy();
    let cur: Record<string, ort.Tensor> = { params: vec(first.params), m: vec(first.m), v: vec(first.v), ema: vec(first.ema) };
    const losses = new Float32Array(n);
    for (let done = 0; done < n; done += K) {
      const out = await sess.run({ data: dataT, ...cur, keys: new ort.Tensor('uint32', stepKeys(config.train.seed, done, K), [K]), sched: new ort.Tensor('float32', stepSchedule(config.train, done, K), [K, SCHED_COLUMNS]) });
      if (done > 0) for (const v of Object.values(cur)) v.dispose(); // free the old state's buffers now, not at GC
      cur = Object.fromEntries(state.map((n) => [n, out[`${n}_out`]]));
      losses.set(out.losses.data as Float32Array, done);
    }
    return { losses, locations: state.map((n) => cur[n].location) };
  };
  await run(K);
  t = performance.now();
  const dev = await run(steps);
  const deviceMs = performance.now() - t;
  let lossMaxRel = 0;
  for (let i = 0; i < steps; i++) lossMaxRel = Math.max(lossMaxRel, Math.abs(dev.losses[i] - hostLosses[i]) / Math.max(1, Math.abs(hostLosses[i])));
  return { batch, steps, hidden, K, lossMaxRel, stateLocations: dev.locations, hostStepsPerSec: steps / (hostMs / 1000), deviceStepsPerSec: steps / (deviceMs / 1000) };
}

if (args.only) {
  try {
    console.log(JSON.stringify({ ok: await CHECKS[args.only]() }));
  } catch (e) {
    console.log(JSON.stringify({ failed: (e as Error).message.split('\n')[0] }));
  }
  process.exit(0);
}

const reason = await probeBackend(backend);
if (reason) {
  console.log(JSON.stringify({ backend, available: false, reason }));
  process.exit(2);
}
const findings: Record<string, string> = {};
for (const name of Object.keys(CHECKS)) {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--only', name], { encoding: 'utf8', timeout: 300_000 });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  let verdict: string;
  try {
    const v = JSON.parse(last) as { ok?: string; failed?: string };
    verdict = v.ok !== undefined ? `ok: ${v.ok}` : `FAILED: ${v.failed}`;
  } catch {
    const err = r.stderr.trim().split('\n').filter((l) => !l.startsWith('Warning:')).at(-1) ?? '';
    verdict = `crashed (${r.signal ?? `exit ${r.status}`}): ${err}`;
  }
  findings[name] = verdict;
  console.error(`${name}: ${verdict}`);
}
console.log(JSON.stringify({ backend, findings }));
