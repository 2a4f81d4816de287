/**
 * Does a backend compute what the CPU computes? Runs FlowLab's programs on `backend` and on the
 * CPU from the same inputs and reports the largest differences, plus each one's speed:
 *  - training: the default checkerboard program from one initial state; losses, parameters and
 *    EMA after each of `trainSteps` (cumulative step counts);
 *  - sampling: the fused Euler/Heun/RK4 programs and Dormand-Prince through the velocity program,
 *    generating and encoding, with the weights the training reached;
 *  - the exact divergence program (likelihoods).
 * `flowlab backends --check NAME` and scripts/backendCheck.ts (BENCHMARKS.md's GPU table) run it.
 */
import os from 'node:os';
import { DEFAULT_NET, defaultConfig } from '../api/config.js';
import { getToy } from './data/index.js';
import { trig } from './interpolants/schedules.js';
import { ortVersion, type Backend } from './onnx/runtime.js';
import { Rng } from './random.js';
import { NetSampler, type SolverName } from './sample/netSampler.js';
import { netDivergence } from './sample/netDivergence.js';
import { initialState, TrainSession, type TrainState } from './train/trainSession.js';

export interface BackendCheckOptions {
  threads: number;
  /** Largest difference accepted for the first training step, sampling and the divergence. */
  tol: number;
  /** Cumulative step counts at which training is compared (default 1, 50, 500). */
  trainSteps?: number[];
  /** Points sampled (default 4096). */
  n?: number;
  /** Also time training (batch 1024, 4096, 16384) and RK4 sampling of 65 536 points. */
  speed?: boolean;
  /** Progress lines, e.g. to stderr. */
  log?: (line: string) => void;
}

export interface BackendCheckReport {
  suite: 'gpu';
  date: string;
  machine: { description: string; cpus: number; node: string; onnxruntime: string };
  backend: Backend;
  threads: number;
  tol: number;
  training: { afterSteps: number; lossMaxRel: number; paramsMaxAbs: number; emaMaxAbs: number }[];
  sampling: { solver: SolverName; reverse: boolean; maxAbs: number; nfe: [number, number] }[];
  divergence: { vMaxAbs: number; divMaxAbs: number };
  speed?: ({ backend: Backend; what: 'train'; batch: number; stepsPerSec: number } | { backend: Backend; what: string; n: number; samplesPerSec: number })[];
  pass: boolean;
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
const normals = (seed: number, m: number) => new Rng(seed).fillNormal(new Float32Array(m)) as Float32Array;
const copy = (s: TrainState): TrainState => ({ step: s.step, params: s.params.slice(), m: s.m.slice(), v: s.v.slice(), ema: s.ema.slice() });

/** The caller checks first that `backend` is available (probeBackend). */
export async function checkBackend(backend: Backend, o: BackendCheckOptions): Promise<BackendCheckReport> {
  const log = o.log ?? (() => {});
  const { threads } = o;
  const config = defaultConfig('checkerboard', 1);
  const net = { dim: 2, ...DEFAULT_NET };
  const data = getToy('checkerboard').sample(90_000, 1);
  const session = (b: Backend, state: TrainState, batch = config.train.batch) =>
    TrainSession.create({ config: { ...config, train: { ...config.train, batch } }, net, interpolant: trig, data, base: null, state: copy(state), backend: b, threads });

  const start = initialState(net, 1);
  const cpu = await session('cpu', start);
  const other = await session(backend, start);
  const training: BackendCheckReport['training'] = [];
  let done = 0;
  for (const upTo of o.trainSteps ?? [1, 50, 500]) {
    const a = await cpu.advance(upTo - done);
    const b = await other.advance(upTo - done);
    done = upTo;
    training.push({
      afterSteps: upTo,
      lossMaxRel: maxRel(b.losses, a.losses),
      paramsMaxAbs: maxAbs(other.state.params, cpu.state.params),
      emaMaxAbs: maxAbs(other.state.ema, cpu.state.ema),
    });
    log(`training, ${upTo} steps: loss ${training.at(-1)!.lossMaxRel.toExponential(1)}, parameters ${training.at(-1)!.paramsMaxAbs.toExponential(1)}`);
  }
  const params = cpu.state.ema.slice();
  await cpu.release();
  await other.release();

  const n = o.n ?? 4096;
  const x0 = normals(7, n * 2);
  const samplers = [new NetSampler(net, params, 'cpu', threads), new NetSampler(net, params, backend, threads)];
  const sampling: BackendCheckReport['sampling'] = [];
  for (const [solver, steps] of [['euler', 50], ['heun', 50], ['rk4', 50], ['dopri5', 0]] as [SolverName, number][]) {
    for (const reverse of [false, true]) {
      const so = { solver, steps: steps || undefined, t0: reverse ? 1 : 0, t1: reverse ? 0 : 1, rtol: 1e-5, atol: 1e-5 };
      const [a, b] = [await samplers[0].solve(x0, n, so), await samplers[1].solve(x0, n, so)];
      sampling.push({ solver, reverse, maxAbs: maxAbs(b.x, a.x), nfe: [a.nfe, b.nfe] });
      log(`${solver} ${reverse ? 'encode' : 'generate'}: ${sampling.at(-1)!.maxAbs.toExponential(1)}`);
    }
  }
  for (const s of samplers) await s.release();
  const divs = [await netDivergence(net, params, { probes: 0, backend: 'cpu', threads }), await netDivergence(net, params, { probes: 0, backend, threads })];
  const [da, db] = [await divs[0].fn(0.5, x0, n, 2), await divs[1].fn(0.5, x0, n, 2)];
  for (const d of divs) await d.release();
  const divergence = { vMaxAbs: maxAbs(db.v, da.v), divMaxAbs: maxAbs(db.div, da.div) };

  let speed: BackendCheckReport['speed'];
  if (o.speed) {
    speed = [];
    for (const b of ['cpu', backend] as Backend[]) {
      for (const batch of [1024, 4096, 16384]) {
        const s = await session(b, start, batch);
        await s.advance(10);
        const k = batch >= 16384 ? 50 : 200;
        const t = performance.now();
        await s.advance(k);
        const stepsPerSec = k / ((performance.now() - t) / 1000);
        speed.push({ backend: b, what: 'train', batch, stepsPerSec });
        await s.release();
        log(`${b} training, batch ${batch}: ${stepsPerSec.toFixed(1)} steps/s`);
      }
      const big = 65536;
      const xb = normals(8, big * 2);
      const smp = new NetSampler(net, params, b, threads);
      await smp.solve(xb.subarray(0, 16384 * 2), 16384, { solver: 'rk4', steps: 5, t0: 0, t1: 1 });
      const t = performance.now();
      await smp.solve(xb, big, { solver: 'rk4', steps: 50, t0: 0, t1: 1 });
      speed.push({ backend: b, what: 'sample rk4-50', n: big, samplesPerSec: big / ((performance.now() - t) / 1000) });
      await smp.release();
    }
  }

  const pass = training[0].lossMaxRel <= o.tol && training[0].paramsMaxAbs <= o.tol && sampling.every((s) => s.maxAbs <= o.tol) && divergence.vMaxAbs <= o.tol && divergence.divMaxAbs <= o.tol;
  return {
    suite: 'gpu',
    date: new Date().toISOString(),
    machine: { description: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, node: process.version, onnxruntime: ortVersion() },
    backend,
    threads,
    tol: o.tol,
    training,
    sampling,
    divergence,
    ...(speed ? { speed } : {}),
    pass,
  };
}
