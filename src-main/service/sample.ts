/**
 * sampleRun: draws samples from a trained run (generation, base -> data), or encodes points
 * (reverse, data -> base), with any solver; the result is saved with the run.
 */
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { resolveBackend, type Backend } from '../engine/onnx/runtime.js';
import { Rng } from '../engine/random.js';
import { baseNoise, noiseFromSpec, SAMPLE_STREAM } from './baseNoise.js';
import { drawRows } from '../engine/data/index.js';
import { NetSampler } from '../engine/sample/netSampler.js';
import { checkMemory, sampleMemory } from '../engine/memoryEstimate.js';
import { DEFAULT_SOLVER_STEPS, IMAGE_SAMPLER, isSdeSolver, MAX_SAMPLE_POINTS, MAX_SOLVER_STEPS, SDE_EPS, SOLVERS, type NoiseSpec, type SolverName } from '../api/schemas.js';
import type { Store } from '../store/index.js';
import { dequantizeRows } from '../engine/data/images/index.js';
import { loadImageRunData } from './imageRunData.js';
import { loadRunData } from './runData.js';
import { loadRunWeights, type RunWeights } from './runModel.js';
import { solvePlacement } from './calibration.js';
import { sizeBucket } from '../engine/calibration.js';
import { netParamCount } from '../engine/nets/velocityNet.js';
import { scoreDenominatorVanishes } from '../engine/sample/score.js';

export { SAMPLE_STREAM };

export interface SampleRunOptions {
  store: Store;
  runId: string;
  /** The run's weights, when the caller has already loaded them (loadRunWeights(store, runId)). */
  weights?: RunWeights;
  n: number;
  /**
   * The solver; left out, a plain generation of an image run uses IMAGE_SAMPLER (where the run's
   * interpolant gives a score), everything else rk4, each with its steps unless `steps` is given.
   */
  solver?: SolverName;
  steps?: number;
  rtol?: number;
  atol?: number;
  /** Encode data into the base instead of generating. */
  reverse?: boolean;
  /** Points to push through (row-major [n, d]); default: base draws, or held-out data when reversing. */
  input?: Float32Array;
  /** Base noise to generate from (baseNoise.ts): a slerp between two seeds' noise, or the values. */
  noise?: NoiseSpec;
  /** Seed of the base draws and (em, sde-heun) of the noise. */
  seed?: number;
  /** The SDE samplers' constant diffusion eps (em, sde-heun only; default SDE_EPS.default; 0 is the ODE). */
  sdeEps?: number;
  snapshots?: boolean;
  backend?: Backend | 'auto';
  threads?: number;
  /** Save the result with the run (default true). */
  save?: boolean;
  /** Fixed-step solvers: rows solved so far, after each chunk (long solves report progress). */
  onRows?: (done: number, total: number) => void;
}

export interface SampleRunResult {
  runId: string;
  x: Float32Array;
  /** The points the solve started from. */
  x0: Float32Array;
  n: number;
  d: number;
  /** One sample's shape: [d], or [C, H, W] for images (x is [n, ...shape] row-major). */
  shape: number[];
  nfe: number;
  seconds: number;
  trajectory?: Float32Array[];
  /** The sampler that drew them (the defaults resolved): solver, steps (null for dopri5), and eps of an SDE sampler. */
  sampler: { solver: SolverName; steps: number | null; sdeEps?: number };
}

/**
 * Held-out images to encode, dequantised as training sees them (the noise keyed by the run's
 * seed and SAMPLE_STREAM), the first n in order, cycled when n exceeds them.
 */
async function heldOutImages(w: RunWeights, n: number): Promise<Float32Array> {
  const { test } = await loadImageRunData(w.config);
  const rows = Uint32Array.from({ length: n }, (_, i) => i % test.n);
  return dequantizeRows(test, rows, { seed: w.config.train.seed, counter: SAMPLE_STREAM });
}

/** Starting points: base draws for generation, held-out rows (cycled) for encoding. */
export function startingPoints(w: RunWeights, n: number, reverse: boolean, seed: number): Float32Array {
  const d = w.net.dim;
  const needData = reverse || w.config.base !== 'gaussian';
  if (!needData) return baseNoise(seed, n, d);
  const data = loadRunData(w.config);
  const src = reverse ? data.test : data.base!;
  // Encoding n <= held-out rows takes the first n in order; otherwise draw with replacement.
  if (reverse && n <= src.n) return src.data.slice(0, n * d);
  return drawRows(src.data, src.n, d, n, new Rng(seed, SAMPLE_STREAM));
}

/**
 * The sampler of a run's samples when the caller names none: IMAGE_SAMPLER at the run's own eps
 * (`images.sdeEps`) for a plain generation of an image run whose interpolant gives the score (its
 * SDE needs it), else rk4.
 */
export function defaultSampler(w: Pick<RunWeights, 'shape' | 'interpolant' | 'config'>, plain: boolean): { solver: SolverName; steps: number; sdeEps?: number } {
  const sde = plain && w.shape.length > 1 && w.config.base === 'gaussian' && !scoreDenominatorVanishes(w.interpolant);
  return sde ? { ...IMAGE_SAMPLER, sdeEps: w.config.images.sdeEps } : { solver: 'rk4', steps: DEFAULT_SOLVER_STEPS };
}

/** "rk4, 50 steps", "em (eps 1.5), 100 steps", "dopri5": a sampler as people read it. */
export function samplerLabel(s: { solver: SolverName; steps: number | null; sdeEps?: number }): string {
  return `${s.solver}${s.sdeEps !== undefined ? ` (eps ${s.sdeEps})` : ''}${s.steps !== null ? `, ${s.steps} steps` : ''}`;
}

export async function sampleRun(options: SampleRunOptions): Promise<SampleRunResult> {
  const started = performance.now();
  const w = options.weights ?? loadRunWeights(options.store, options.runId);
  const o = withSampler(options, w);
  if (!Number.isInteger(o.n) || o.n < 1 || o.n > MAX_SAMPLE_POINTS) {
    throw new UserError(`n must be a whole number from 1 to ${MAX_SAMPLE_POINTS}, got ${o.n}`, 'n');
  }
  if (!SOLVERS.includes(o.solver)) throw new UserError(`solver must be one of ${SOLVERS.join(', ')}, got '${o.solver}'`, 'solver');
  if (o.steps !== undefined && (!Number.isInteger(o.steps) || o.steps < 1 || o.steps > MAX_SOLVER_STEPS)) {
    throw new UserError(`steps must be a whole number from 1 to ${MAX_SOLVER_STEPS}, got ${o.steps}`, 'steps');
  }
  if (o.snapshots && o.solver === 'dopri5') {
    throw new UserError('solver must be a fixed-step one (euler, heun or rk4) to record the states along t; dopri5 chooses its own steps', 'solver');
  }
  const sdeEps = checkSde(o, w);
  const d = w.net.dim;
  checkMemory('this sampling', sampleMemory({ n: o.n, d, steps: o.steps ?? DEFAULT_SOLVER_STEPS, trajectory: !!o.snapshots }),
    o.snapshots ? 'lower n or steps (every step of the trajectory is kept)' : 'lower n');
  const seed = o.seed ?? (w.config.train.seed ^ SAMPLE_STREAM) >>> 0;
  const images = w.shape.length > 1;
  if (o.noise && o.reverse) throw new UserError('noise is where a generation starts; an encoding starts from data (leave noise out)', 'noise');
  if (o.noise && o.input) throw new UserError('give either noise or input, not both', 'noise');
  const noise = o.noise ? noiseFromSpec(o.noise, o.n, d, w.config.base) : undefined;
  const x0 = o.input ?? noise ?? (images && o.reverse ? await heldOutImages(w, o.n) : startingPoints(w, o.n, !!o.reverse, seed));
  if (x0.length !== o.n * d) throw new UserError(`input has ${x0.length / d} rows of ${d} values, expected ${o.n}`);
  const size = sizeBucket('sample', { params: netParamCount(w.net), rows: o.n });
  const backend = await solvePlacement(dirname(o.store.file), o.backend ?? w.config.backend, size, o.threads ?? w.config.threads);
  const sampler = new NetSampler(w.net, w.params, backend, o.threads ?? w.config.threads);
  const interpolant = w.interpolant;
  const tMax = interpolant.tMax;
  try {
    const r = await sampler.solve(x0, o.n, {
      solver: o.solver,
      steps: o.steps ?? DEFAULT_SOLVER_STEPS,
      rtol: o.rtol,
      atol: o.atol,
      t0: o.reverse ? tMax : 0,
      t1: o.reverse ? 0 : tMax,
      snapshots: o.snapshots,
      onRows: o.onRows,
      ...(sdeEps !== null ? { sde: { eps: sdeEps, interpolant, seed } } : {}),
    });
    if (o.save ?? true) {
      o.store.saveSamples(w.run.id, {
        kind: o.reverse ? 'encoded' : 'final',
        n: o.n,
        d,
        data: r.x,
        meta: {
          solver: o.solver, steps: o.solver === 'dopri5' ? null : o.steps ?? DEFAULT_SOLVER_STEPS, nfe: r.nfe, checkpointStep: w.step, shape: w.shape,
          seed, ...(sdeEps !== null ? { sdeEps } : {}),
          ...(o.noise ? { noise: o.noise.kind === 'slerp' ? { slerp: o.noise.seeds } : 'given' } : {}),
        },
      });
    }
    const used = { solver: o.solver, steps: o.solver === 'dopri5' ? null : o.steps ?? DEFAULT_SOLVER_STEPS, ...(sdeEps !== null ? { sdeEps } : {}) };
    return { runId: w.run.id, x: r.x, x0, n: o.n, d, shape: w.shape, nfe: r.nfe, seconds: (performance.now() - started) / 1000, trajectory: r.trajectory, sampler: used };
  } finally {
    await sampler.release();
  }
}

/** The options with the solver (and, when it was left out, the default's steps and eps) filled in. */
function withSampler(o: SampleRunOptions, w: RunWeights): SampleRunOptions & { solver: SolverName } {
  if (o.solver !== undefined) return { ...o, solver: o.solver };
  const d = defaultSampler(w, !o.reverse && !o.noise && !o.input && !o.snapshots);
  return { ...o, solver: d.solver, steps: o.steps ?? d.steps, ...(d.sdeEps !== undefined ? { sdeEps: o.sdeEps ?? d.sdeEps } : {}) };
}

/**
 * The SDE samplers' eps, or null for an ODE solver. They need the score, which the velocity gives
 * only with a Gaussian base and an interpolant whose score denominator b a' - a b' never vanishes
 * (encdec's does: checked by the engine), and they run forward (generation) only.
 */
function checkSde(o: SampleRunOptions & { solver: SolverName }, w: RunWeights): number | null {
  if (!isSdeSolver(o.solver)) {
    if (o.sdeEps !== undefined) throw new UserError(`sdeEps applies to the SDE samplers (em, sde-heun), not to ${o.solver}`, 'sdeEps');
    return null;
  }
  const eps = o.sdeEps ?? SDE_EPS.default;
  if (!(Number.isFinite(eps) && eps >= SDE_EPS.min && eps <= SDE_EPS.max)) {
    throw new UserError(`sdeEps must be a number from ${SDE_EPS.min} to ${SDE_EPS.max} (0 is the ODE), got ${eps}`, 'sdeEps');
  }
  if (w.config.base !== 'gaussian') {
    throw new UserError(`the ${o.solver} sampler needs a Gaussian base (the score comes from the velocity through it); this run's base is a dataset: use an ODE solver`, 'solver');
  }
  if (o.reverse) throw new UserError(`the ${o.solver} sampler only generates (base -> data); encode with an ODE solver`, 'solver');
  return eps;
}

/** v(t, x) of a run's EMA net at given points (the app's arrow field), row-major [n, d]. */
export async function velocityGrid(o: { store: Store; runId: string; t: number; points: Float32Array; n: number }): Promise<Float32Array> {
  const w = loadRunWeights(o.store, o.runId);
  if (o.points.length !== o.n * w.net.dim) throw new UserError(`points must hold ${o.n} rows of ${w.net.dim} values`);
  if (!(o.t >= 0 && o.t <= 1)) throw new UserError(`t must lie in [0, 1], got ${o.t}`);
  const sampler = new NetSampler(w.net, w.params, await resolveBackend(w.config.backend, 'solve'), w.config.threads);
  try {
    return Float32Array.from(await sampler.velocity()(o.t, o.points, o.n, w.net.dim));
  } finally {
    await sampler.release();
  }
}
