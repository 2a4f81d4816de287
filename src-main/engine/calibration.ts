/**
 * The calibration behind 'auto': a short measurement, per job kind (training an MLP, training a
 * U-Net, sampling) and size bucket, of each backend that runs here and, for MLP training, each
 * step runner (train/stepRunner.ts) that backend can use. `decide` reads it: the fastest
 * measured backend for the job wins, software Vulkan devices excluded (they run, and are
 * measured, but are slower than the CPU backend on the machines that have them and no GPU);
 * `chooseRunner` gives the fastest runner measured for the backend a run ends up on.
 *
 * The measurements hold for one machine and one build: `machineKey` names them by the CPU model,
 * core count, graphics adapters, app version and ONNX Runtime version, and the service caches
 * one calibration per key in the data folder (service/calibration.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type ExperimentConfig } from '../api/config.js';
import { VERSION } from '../version.js';
import { getToy } from './data/index.js';
import type { ImageDataset } from './data/images/index.js';
import { trig } from './interpolants/schedules.js';
import { paramLayout, type MlpSpec } from './nets/mlp.js';
import { netSpecFor, type NetSpec } from './nets/velocityNet.js';
import { BACKEND_PREFERENCE, ortVersion, probeBackend, probeHardware, type Backend } from './onnx/runtime.js';
import { Rng } from './random.js';
import { NetSampler } from './sample/netSampler.js';
import { ImageTrainSession, initialImageState } from './train/imageTrainSession.js';
import { createMlpRunner, type RunnerKind } from './train/stepRunner.js';
import { initialState } from './train/trainSession.js';

export const JOB_KINDS = ['train-mlp', 'train-unet', 'sample'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const SIZE_BUCKETS = ['small', 'large'] as const;
export type SizeBucket = (typeof SIZE_BUCKETS)[number];

/**
 * A job's size bucket. MLP training: parameters x batch (the work of a step), small below 10^7
 * (a 2 x 64 net at batch 256 is 1.3 x 10^6; the default 3 x 256 net at batch 1024, 1.4 x 10^8).
 * U-Net training: pixels x batch, small below 4096 (8 x 8 images at batch 4 against MNIST's
 * 28 x 28 at 16). Sampling: parameters x points, small below 10^8.
 */
export function sizeBucket(job: JobKind, w: { params: number; rows: number; pixels?: number }): SizeBucket {
  if (job === 'train-unet') return (w.pixels ?? 0) * w.rows < 4096 ? 'small' : 'large';
  return w.params * w.rows < (job === 'train-mlp' ? 1e7 : 1e8) ? 'small' : 'large';
}

export interface MachineKey {
  cpu: string;
  cores: number;
  /** The graphics adapters: PCI display devices (vendor:device) and what each GPU backend's probe found. */
  adapters: string[];
  app: string;
  onnxruntime: string;
}

export interface CalibrationEntry {
  job: JobKind;
  size: SizeBucket;
  backend: Backend;
  /** The step runner measured (training an MLP; the U-Net has one). */
  runner?: RunnerKind;
  /** Steps per second (training) or points per second (sampling); null: it failed (`error`). */
  perSecond: number | null;
  unit: 'steps/s' | 'samples/s';
  /** The backend runs here only on a software Vulkan device: measured, never chosen by 'auto'. */
  software?: boolean;
  error?: string;
}

export interface Calibration {
  key: MachineKey;
  measuredAt: string;
  /** Seconds the whole calibration took. */
  seconds: number;
  /** Threads the CPU backend used. */
  threads: number;
  entries: CalibrationEntry[];
}

/** Display devices on the PCI bus (Linux), as "vendor:device" ids; elsewhere none. */
function pciDisplayDevices(): string[] {
  const root = '/sys/bus/pci/devices';
  try {
    const out: string[] = [];
    for (const d of readdirSync(root)) {
      const read = (f: string) => readFileSync(join(root, d, f), 'utf8').trim();
      if (!read('class').startsWith('0x03')) continue;
      out.push(`pci ${read('vendor').replace(/^0x/, '')}:${read('device').replace(/^0x/, '')}`);
    }
    return out.sort();
  } catch {
    return [];
  }
}

/** What each GPU backend's probe says here: 'hardware', 'software' (a software Vulkan device) or 'unavailable'. */
export async function gpuBackendStates(): Promise<Record<Backend, 'hardware' | 'software' | 'unavailable'>> {
  const entries = await Promise.all(
    BACKEND_PREFERENCE.map(async (b) => {
      if ((await probeBackend(b)) !== null) return [b, 'unavailable'] as const;
      return [b, (await probeHardware(b)) === null ? 'hardware' : 'software'] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Backend, 'hardware' | 'software' | 'unavailable'>;
}

export async function machineKey(): Promise<MachineKey> {
  const states = await gpuBackendStates();
  const gpus = BACKEND_PREFERENCE.filter((b) => b !== 'cpu').map((b) => `${b} ${states[b]}`);
  return { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, adapters: [...pciDisplayDevices(), ...gpus], app: VERSION, onnxruntime: ortVersion() };
}

export function sameMachine(a: MachineKey, b: MachineKey): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The runners a backend can train an MLP with: the Loop runs on the CPU only (GPU providers have no Loop kernel); device buffers need a GPU. */
export function mlpRunnersFor(b: Backend): RunnerKind[] {
  return b === 'cpu' ? ['loop', 'unrolled'] : ['unrolled', 'device'];
}

const entriesFor = (c: Calibration | null, job: JobKind, size: SizeBucket) => (c?.entries ?? []).filter((e) => e.job === job && e.size === size && e.perSecond !== null);

/** The runner a run on `backend` gets: the fastest one measured for it, else the loop on the CPU and unrolled pieces elsewhere. */
export function chooseRunner(backend: Backend, job: JobKind, size: SizeBucket, c: Calibration | null): RunnerKind {
  if (job === 'train-unet') return 'image';
  let best: CalibrationEntry | null = null;
  for (const e of entriesFor(c, job, size)) if (e.backend === backend && e.runner && (!best || e.perSecond! > best.perSecond!)) best = e;
  return best?.runner ?? (backend === 'cpu' ? 'loop' : 'unrolled');
}

export interface Decision {
  job: JobKind;
  size: SizeBucket;
  backend: Backend;
  /** The runner, for training jobs. */
  runner?: RunnerKind;
  /** The measured rate of the choice; null when nothing was measured. */
  perSecond: number | null;
  why: string;
}

/**
 * What 'auto' runs a job of this kind and size on: the fastest measured backend among `usable`
 * (those that run on a hardware device here), else, unmeasured, the CPU for training and the
 * first usable backend in BACKEND_PREFERENCE for sampling.
 */
export function decide(c: Calibration | null, job: JobKind, size: SizeBucket, usable: readonly Backend[]): Decision {
  let best: CalibrationEntry | null = null;
  for (const e of entriesFor(c, job, size)) if (!e.software && usable.includes(e.backend) && (!best || e.perSecond! > best.perSecond!)) best = e;
  const training = job !== 'sample';
  if (best) {
    return { job, size, backend: best.backend, ...(training ? { runner: chooseRunner(best.backend, job, size, c) } : {}), perSecond: best.perSecond, why: 'fastest measured' };
  }
  const backend = training ? 'cpu' : (BACKEND_PREFERENCE.find((b) => usable.includes(b)) ?? 'cpu');
  const why = training ? 'not measured: training stays on the CPU' : 'not measured: the first hardware backend in the order cuda, dml, coreml, webgpu, cpu';
  return { job, size, backend, ...(training ? { runner: chooseRunner(backend, job, size, c) } : {}), perSecond: null, why };
}

export interface CalibrateOptions {
  /** Backends to measure (default: every one that runs here). */
  backends?: Backend[];
  jobs?: readonly JobKind[];
  sizes?: readonly SizeBucket[];
  /** Timed seconds per measurement, after one warm-up call (default 0.5). */
  seconds?: number;
  /** CPU threads (0: one per core). */
  threads: number;
  log?: (line: string) => void;
}

/**
 * The representative job of each kind and bucket (see `sizeBucket`): MLP training, a 2 x 64 net at
 * batch 256 and the default net at 4096; U-Net training, a two-level U-Net on 8 x 8 images at
 * batch 4 and the default MNIST U-Net at its batch; sampling (4 Euler steps: the rate is the
 * net's), the small MLP on 1024 points and the default one on 16 384.
 */
function mlpJob(size: SizeBucket): { config: ExperimentConfig; net: MlpSpec } {
  const c = defaultConfig('checkerboard', 1);
  const small = size === 'small';
  const config = { ...c, train: { ...c.train, batch: small ? 256 : 4096 } };
  if (c.net.kind !== 'mlp') throw new Error('the default net is not an MLP');
  return { config, net: { ...c.net, dim: 2, ...(small ? { width: 64, depth: 2 } : {}) } };
}

function unetJob(size: SizeBucket): { config: ExperimentConfig; net: NetSpec; images: ImageDataset } {
  const small = size === 'small';
  const config = defaultConfig('mnist', 1);
  const side = small ? 8 : 28;
  if (small) {
    config.net = { kind: 'unet', baseChannels: 8, channelMults: [1, 2], blocksPerLevel: 1, attention: false, timeFrequencies: 2 };
    config.train = { ...config.train, batch: 4 };
  }
  const n = 64;
  const images: ImageDataset = { name: 'noise', source: 'generated', pixels: Uint8Array.from({ length: n * side * side }, (_, i) => (i * 2654435761) >>> 24), n, c: 1, h: side, w: side };
  return { config, net: netSpecFor(config.net, [1, side, side]), images };
}

/** Rate of `call` (which returns the work it did) over at least `seconds`, after one warm-up call. */
async function rate(seconds: number, call: () => Promise<number>): Promise<number> {
  await call();
  let n = 0;
  const t = performance.now();
  do n += await call();
  while (performance.now() - t < seconds * 1000);
  return n / ((performance.now() - t) / 1000);
}

/**
 * Measures each backend (each runner, for MLP training) on the representative job of each kind
 * and bucket. A measurement that fails is recorded with its error, not thrown.
 */
export async function calibrate(o: CalibrateOptions): Promise<Calibration> {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  const seconds = o.seconds ?? 0.5;
  const states = await gpuBackendStates();
  const backends = o.backends ?? BACKEND_PREFERENCE.filter((b) => states[b] !== 'unavailable');
  const entries: CalibrationEntry[] = [];
  const data = getToy('checkerboard').sample(20_000, 1);
  const measure = async (e: Omit<CalibrationEntry, 'perSecond' | 'software'>, f: () => Promise<number>) => {
    const software = states[e.backend] === 'software';
    try {
      const perSecond = await f();
      entries.push({ ...e, perSecond, ...(software ? { software } : {}) });
      log(`${e.job} ${e.size} on ${e.backend}${e.runner ? ` (${e.runner})` : ''}: ${perSecond.toFixed(1)} ${e.unit}`);
    } catch (err) {
      const error = (err as Error).message.split('\n')[0];
      entries.push({ ...e, perSecond: null, ...(software ? { software } : {}), error });
      log(`${e.job} ${e.size} on ${e.backend}${e.runner ? ` (${e.runner})` : ''}: failed: ${error}`);
    }
  };
  for (const job of o.jobs ?? JOB_KINDS) {
    for (const size of o.sizes ?? SIZE_BUCKETS) {
      for (const backend of backends) {
        const threads = o.threads;
        if (size === 'large' && states[backend] === 'software') {
          // never chosen, and a large job takes minutes there: the small bucket shows its speed
          const runners = job === 'train-mlp' ? mlpRunnersFor(backend) : [job === 'train-unet' ? ('image' as const) : undefined];
          for (const runner of runners) entries.push({ job, size, backend, ...(runner ? { runner } : {}), perSecond: null, unit: job === 'sample' ? 'samples/s' : 'steps/s', software: true, error: 'not measured on a software device at this size' });
          continue;
        }
        if (job === 'train-mlp') {
          const { config, net } = mlpJob(size);
          for (const runner of mlpRunnersFor(backend)) {
            await measure({ job, size, backend, runner, unit: 'steps/s' }, async () => {
              const r = await createMlpRunner(runner, { config, net, interpolant: trig, data, state: initialState(net, 1), backend, threads });
              try {
                return await rate(seconds, async () => ((await r.advance(10)), 10));
              } finally {
                await r.dispose();
              }
            });
          }
        } else if (job === 'train-unet') {
          const { config, net, images } = unetJob(size);
          await measure({ job, size, backend, runner: 'image', unit: 'steps/s' }, async () => {
            const r = await ImageTrainSession.create({ config, net, interpolant: trig, images, state: initialImageState(net, 1), backend, threads });
            try {
              return await rate(seconds, async () => ((await r.advance(1)), 1));
            } finally {
              await r.dispose();
            }
          });
        } else {
          const { net } = mlpJob(size);
          const n = size === 'small' ? 1024 : 16384;
          const x0 = new Rng(8).fillNormal(new Float32Array(n * 2)) as Float32Array;
          await measure({ job, size, backend, unit: 'samples/s' }, async () => {
            const s = new NetSampler(net, initialState(net, 1).params, backend, threads);
            try {
              return await rate(seconds, async () => ((await s.solve(x0, n, { solver: 'euler', steps: 4, t0: 0, t1: 1 })), n));
            } finally {
              await s.release();
            }
          });
        }
      }
    }
  }
  return { key: await machineKey(), measuredAt: new Date().toISOString(), seconds: (performance.now() - t0) / 1000, threads: o.threads, entries };
}

/** Parameters of an MLP (for `sizeBucket`). */
export const mlpParams = (net: MlpSpec) => paramLayout(net).total;
