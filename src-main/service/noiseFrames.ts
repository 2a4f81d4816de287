/**
 * Noise to image: a row of samples followed along t, and under each the speed of the flow,
 * |v(t, x_t)| per pixel (the norm over channels), at evenly spaced frames of one fixed-step solve
 * from a seed's noise (the gallery's draws: the row is the first n images of that seed's gallery).
 */
import { UserError } from '../errors.js';
import { DEFAULT_SOLVER_STEPS, FRAMES, MAX_FRAME_IMAGES, type SolverName } from '../api/schemas.js';
import { resolveBackend, type Backend } from '../engine/onnx/runtime.js';
import { NetSampler } from '../engine/sample/netSampler.js';
import type { Store } from '../store/index.js';
import { loadRunWeights } from './runModel.js';
import { sampleRun } from './sample.js';

/** The solvers whose steps fall on a fixed grid of t (frames are their states). */
const FRAME_SOLVERS: readonly SolverName[] = ['euler', 'heun', 'midpoint', 'rk4'];

export interface NoiseFramesOptions {
  store: Store;
  runId: string;
  n: number;
  seed?: number;
  solver: SolverName;
  steps?: number;
  /** Frames, t = 0 and t = tMax included. */
  frames: number;
  backend?: Backend | 'auto';
  threads?: number;
}

export interface NoiseFramesResult {
  n: number;
  d: number;
  shape: number[];
  t: number[];
  /** The row at each frame, [n, C, H, W] in the flow's scale. */
  xs: Float32Array[];
  /** |v(t, x_t)| per pixel at each frame, [n, H, W]. */
  speed: Float32Array[];
  nfe: number;
  seconds: number;
}

/** The channel norm of v, [n, C, H, W] -> [n, H, W]: sqrt(sum_c v_c^2). */
export function pixelSpeed(v: ArrayLike<number>, n: number, shape: readonly number[]): Float32Array {
  const [c, h, w] = shape;
  const hw = h * w;
  const out = new Float32Array(n * hw);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < hw; p++) {
      let s = 0;
      for (let k = 0; k < c; k++) s += v[(i * c + k) * hw + p] ** 2;
      out[i * hw + p] = Math.sqrt(s);
    }
  }
  return out;
}

export async function noiseFrames(o: NoiseFramesOptions): Promise<NoiseFramesResult> {
  const started = performance.now();
  if (!Number.isInteger(o.n) || o.n < 1 || o.n > MAX_FRAME_IMAGES) throw new UserError(`n must be a whole number from 1 to ${MAX_FRAME_IMAGES}, got ${o.n}`, 'n');
  if (!Number.isInteger(o.frames) || o.frames < FRAMES.min || o.frames > FRAMES.max) {
    throw new UserError(`frames must be a whole number from ${FRAMES.min} to ${FRAMES.max}, got ${o.frames}`, 'frames');
  }
  if (!FRAME_SOLVERS.includes(o.solver)) throw new UserError(`solver must be a fixed-step ODE solver (${FRAME_SOLVERS.join(', ')}) to follow the row along t, got ${o.solver}`, 'solver');
  const w = loadRunWeights(o.store, o.runId);
  if (w.shape.length !== 3) throw new UserError(`run ${w.run.id} samples ${w.net.dim}-D points, not images; its flow explorer shows particles`, 'runId');
  const steps = o.steps ?? Math.max(o.frames - 1, DEFAULT_SOLVER_STEPS);
  const r = await sampleRun({
    store: o.store, runId: o.runId, n: o.n, seed: o.seed, solver: o.solver, steps, snapshots: true,
    backend: o.backend, threads: o.threads, save: false,
  });
  const states = [r.x0, ...(r.trajectory ?? [])];
  const tMax = w.interpolant.tMax;
  const sampler = new NetSampler(w.net, w.params, await resolveBackend(o.backend ?? w.config.backend, 'solve'), o.threads ?? w.config.threads);
  try {
    const velocity = sampler.velocity();
    const t: number[] = [];
    const xs: Float32Array[] = [];
    const speed: Float32Array[] = [];
    for (let i = 0; i < o.frames; i++) {
      // frame i is the state after step k, at t = k tMax / steps
      const k = Math.round((i * steps) / (o.frames - 1));
      const tk = (k * tMax) / steps;
      t.push(tk);
      xs.push(states[k]);
      speed.push(pixelSpeed(await velocity(tk, states[k], o.n, r.d), o.n, r.shape));
    }
    return { n: o.n, d: r.d, shape: r.shape, t, xs, speed, nfe: r.nfe + o.frames, seconds: (performance.now() - started) / 1000 };
  } finally {
    await sampler.release();
  }
}
