/**
 * Runs FlowLab's programs on one backend and on the CPU from the same inputs and reports how far
 * apart they land, plus each one's speed: `node --import tsx scripts/backendCheck.ts --backend webgpu`
 * [--threads N] [--tol X] [--train-steps 1,50,500] [--n 4096] [--speed yes|no] [--out FILE] [--machine TEXT].
 * Training: the default checkerboard program from one initial state, losses and parameters after
 * 1, 50 and 500 steps. Sampling: the fused Euler/Heun/RK4 programs, Dormand-Prince through the
 * velocity program, and the exact divergence program, all with one set of trained-ish weights.
 * Prints one JSON object (also written to --out, e.g. bench/results/gpu.json, which
 * bench/summarize.mjs renders into BENCHMARKS.md); exits non-zero if a first-step or sampling
 * difference passes --tol.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../src-main/engine/config.js';
import { getToy } from '../src-main/engine/data/index.js';
import { trig } from '../src-main/engine/interpolants/schedules.js';
import { ortVersion, probeBackend, type Backend } from '../src-main/engine/onnx/runtime.js';
import { NetSampler, type SolverName } from '../src-main/engine/sample/netSampler.js';
import { netDivergence } from '../src-main/engine/sample/netDivergence.js';
import { TrainSession, initialState, type TrainState } from '../src-main/engine/train/trainSession.js';
import { Rng } from '../src-main/engine/random.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    threads: { type: 'string', default: '0' },
    tol: { type: 'string', default: '1e-4' },
    speed: { type: 'string', default: 'yes' },
    'train-steps': { type: 'string', default: '1,50,500' },
    n: { type: 'string', default: '4096' },
    out: { type: 'string' },
    machine: { type: 'string' },
  },
});
const other = values.backend as Backend;
if (!['cpu', 'webgpu', 'cuda'].includes(other)) {
  console.error(`unknown backend '${other}'; choose webgpu, cuda or cpu`);
  process.exit(2);
}
const threads = Number(values.threads);
const tol = Number(values.tol);

const reason = await probeBackend(other);
if (reason !== null) {
  console.log(JSON.stringify({ backend: other, available: false, reason }));
  process.exit(2);
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
};
const normals = (seed: number, m: number) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: m }, () => r.normal());
};
const copy = (s: TrainState): TrainState => ({ step: s.step, params: s.params.slice(), m: s.m.slice(), v: s.v.slice(), ema: s.ema.slice() });

const config = defaultConfig('checkerboard', 1);
const net = { dim: 2, ...config.net };
const data = getToy('checkerboard').sample(90_000, 1);
const report: Record<string, unknown> = {
  suite: 'gpu',
  date: new Date().toISOString(),
  machine: { description: values.machine ?? os.cpus()[0]?.model, cpus: os.cpus().length, node: process.version, onnxruntime: ortVersion() },
  backend: other,
  threads,
  tol,
};

async function session(backend: Backend, state: TrainState, batch = config.train.batch) {
  return TrainSession.create({ config: { ...config, train: { ...config.train, batch } }, net, interpolant: trig, data, base: null, state: copy(state), backend, threads });
}

// Training: same start, same draws; compare after 1, 50 and 500 steps.
const start = initialState(net, 1);
const sessions = { cpu: await session('cpu', start), other: await session(other, start) };
const training: Record<string, unknown>[] = [];
let done = 0;
for (const upTo of values['train-steps']!.split(',').map(Number)) {
  const k = upTo - done;
  const a = await sessions.cpu.advance(k);
  const b = await sessions.other.advance(k);
  done = upTo;
  training.push({
    afterSteps: upTo,
    lossMaxRel: maxRel(b.losses, a.losses),
    paramsMaxAbs: maxAbs(sessions.other.state.params, sessions.cpu.state.params),
    emaMaxAbs: maxAbs(sessions.other.state.ema, sessions.cpu.state.ema),
  });
}
report.training = training;
const params = sessions.cpu.state.ema.slice();

// Sampling from one set of weights (the 500-step EMA above), both directions.
const n = Number(values.n);
const x0 = normals(7, n * 2);
const samplers = { cpu: new NetSampler(net, params, 'cpu', threads), other: new NetSampler(net, params, other, threads) };
const sampling: Record<string, unknown>[] = [];
for (const [solver, steps] of [['euler', 50], ['heun', 50], ['rk4', 50], ['dopri5', 0]] as [SolverName, number][]) {
  for (const reverse of [false, true]) {
    const o = { solver, steps: steps || undefined, t0: reverse ? 1 : 0, t1: reverse ? 0 : 1, rtol: 1e-5, atol: 1e-5 };
    const a = await samplers.cpu.solve(x0, n, o);
    const b = await samplers.other.solve(x0, n, o);
    sampling.push({ solver, reverse, maxAbs: maxAbs(b.x, a.x), nfe: [a.nfe, b.nfe] });
  }
}
report.sampling = sampling;
const divs = await Promise.all((['cpu', other] as Backend[]).map((backend) => netDivergence(net, params, { probes: 0, backend, threads })));
const [da, db] = [await divs[0].fn(0.5, x0, n, 2), await divs[1].fn(0.5, x0, n, 2)];
report.divergence = { vMaxAbs: maxAbs(db.v, da.v), divMaxAbs: maxAbs(db.div, da.div) };

// Speed: training steps/s and RK4-50 samples/s on each backend.
if (values.speed !== 'no') {
  const speed: Record<string, unknown>[] = [];
  for (const backend of ['cpu', other] as Backend[]) {
    for (const batch of [1024, 4096, 16384]) {
      const s = await session(backend, start, batch);
      await s.advance(10);
      const k = batch >= 16384 ? 50 : 200;
      const t = performance.now();
      await s.advance(k);
      speed.push({ backend, what: 'train', batch, stepsPerSec: k / ((performance.now() - t) / 1000) });
    }
    const big = 65536;
    const xb = normals(8, big * 2);
    const smp = new NetSampler(net, params, backend, threads);
    await smp.solve(xb.subarray(0, 16384 * 2), 16384, { solver: 'rk4', steps: 5, t0: 0, t1: 1 });
    const t = performance.now();
    await smp.solve(xb, big, { solver: 'rk4', steps: 50, t0: 0, t1: 1 });
    speed.push({ backend, what: 'sample rk4-50', n: big, samplesPerSec: big / ((performance.now() - t) / 1000) });
  }
  report.speed = speed;
}

const first = training[0] as { lossMaxRel: number; paramsMaxAbs: number };
const worstSampling = Math.max(...sampling.map((s) => s.maxAbs as number));
report.pass = first.lossMaxRel <= tol && first.paramsMaxAbs <= tol && worstSampling <= tol && (report.divergence as { vMaxAbs: number }).vMaxAbs <= tol;
console.log(JSON.stringify(report, null, 1));
if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
process.exit(report.pass ? 0 : 1);
