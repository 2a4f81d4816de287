/**
 * Zod schemas of the values the API carries: run records, samples, series, settings, and the
 * limits every door applies. The experiment config's own schema is config.ts.
 */
import { z } from 'zod';
import { BACKENDS, IMAGE_SDE_EPS, type ExperimentConfigInput } from './config.js';

/** Largest sample a single call may ask for: 1M points of 2-D data is 8 MB of float32. */
export const MAX_SAMPLE_POINTS = 1_000_000;
/** Most steps a fixed-step solve may take: far past convergence for these smooth fields. */
export const MAX_SOLVER_STEPS = 10_000;
/** Steps of a fixed-step solve when none are given: converged to plotting accuracy for the 2-D fields trained here. */
export const DEFAULT_SOLVER_STEPS = 50;
/** dopri5's relative and absolute tolerances: 1e-10 is float64's useful limit, 0.1 already coarse. */
export const SOLVER_TOLERANCE = { min: 1e-10, max: 0.1 } as const;
/** Largest seed a call may give: the generator takes 32-bit seeds. */
export const MAX_SEED = 0xffffffff;
/** generate: base -> data; encode: held-out data -> base. */
export const SAMPLE_DIRECTIONS = ['generate', 'encode'] as const;
export type SampleDirection = (typeof SAMPLE_DIRECTIONS)[number];
/** Held-out points an evaluation may use: enough for a stable estimate, few enough for exact W2's bound. */
export const EVAL_POINTS = { min: 100, max: 100_000 } as const;
export { MAX_IMPORT_BYTES } from './limits.js';

export const float32Array = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
export const float64Array = z.custom<Float64Array>((v) => v instanceof Float64Array, 'expected a Float64Array');
export const uint8Array = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

export const runId = z.string().min(1).max(200);

/**
 * A config as a call carries it: any object here; `checkConfig` (config.ts) then checks every
 * field in the handler, so a bad value gets the same message through every door.
 */
export const experimentConfigArg = z.custom<ExperimentConfigInput>(
  (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  'expected an experiment config object',
);

export const runStatus = z.enum(['queued', 'running', 'paused', 'completed', 'failed', 'interrupted', 'stopped']);
export type RunStatus = z.infer<typeof runStatus>;
/** The statuses a run can be resumed from (from its last checkpoint). */
export const RESUMABLE_STATUSES: readonly RunStatus[] = ['stopped', 'interrupted', 'failed'];

export const runRecord = z.object({
  id: z.string(),
  name: z.string(),
  status: runStatus,
  config: z.unknown(),
  seed: z.number(),
  backend: z.string().nullable(),
  appVersion: z.string(),
  onnxruntimeVersion: z.string().nullable(),
  dataset: z.string(),
  interpolant: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationS: z.number(),
  stepsDone: z.number(),
  lastLoss: z.number().nullable(),
  bestLoss: z.number().nullable(),
  failureReason: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string(),
  pid: z.number().nullable(),
  host: z.string().nullable(),
});

export const runFilter = z.object({
  status: runStatus.optional(),
  text: z.string().max(200).optional(),
  dataset: z.string().max(4096).optional(),
  tag: z.string().max(200).optional(),
});

/** n points of dimension d, row-major. */
export const pointCloud = z.object({ n: z.number().int().nonnegative(), d: z.number().int().positive(), data: float32Array });

/** ODE solvers, then the SDE samplers (Gaussian base: drift v + eps s, noise sqrt(2 eps) dW). */
export const SOLVERS = ['euler', 'heun', 'midpoint', 'rk4', 'dopri5', 'em', 'sde-heun'] as const;
export const solverName = z.enum(SOLVERS);
/** The stochastic samplers among SOLVERS: they take `sdeEps`. */
export const SDE_SOLVERS = ['em', 'sde-heun'] as const;
export { SDE_EPS } from './config.js';
/**
 * How an image run's samples are drawn when no solver is named: Euler-Maruyama with eps 1.5 in
 * 100 steps (100 net evaluations); a run that records its own eps (`images.sdeEps`) is drawn with
 * that. Measured on MNIST, 1,000 samples each scored by the shipped
 * classifier (the share labelled with confidence >= 0.9, real held-out digits 98.2%; the
 * classifier Frechet distance, floor 101.5). A linear-interpolant U-Net ([1, 2, 2]) trained 10,000
 * steps:
 *   rk4, 50 steps (200 NFE)   78.6%, 221
 *   em eps 1, 100 steps       85.6%, 186
 *   em eps 1, 200 steps       84.8%, 198
 *   em eps 2, 100 steps       86.2%, 188
 * The image default (levels [1, 2, 4], 12,000 steps): em eps 1, 100 steps 88.9%, 151; eps 1.5
 * 89.2%, 155 (a tie at this sample size). The injected noise, corrected by the score, undoes part
 * of the net's error that the ODE carries to the end. Generation only: encoding, slerp rows and
 * trajectories keep an ODE solver.
 */
export const IMAGE_SAMPLER = { solver: 'em', steps: 100, sdeEps: IMAGE_SDE_EPS } as const satisfies { solver: SolverName; steps: number; sdeEps: number };
export function isSdeSolver(s: string): s is (typeof SDE_SOLVERS)[number] {
  return (SDE_SOLVERS as readonly string[]).includes(s);
}
/** Points of an interpolated row between two seeds: a row a page shows at a glance. */
export const MAX_INTERPOLATION_POINTS = 64;
/** Base noise a call may carry itself: 16 MB of float32 (e.g. 1,300 RGB 32 x 32 images). */
export const MAX_NOISE_VALUES = 4_194_304;
/**
 * Base noise to start from instead of a seed's draws (generation, Gaussian base): n slerp points
 * between the noise of two seeds (each seed's noise is its gallery's first image), or the values.
 */
export const noiseSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slerp'), seeds: z.tuple([z.number().int().min(0).max(MAX_SEED), z.number().int().min(0).max(MAX_SEED)]) }).strict(),
  z.object({ kind: z.literal('values'), values: float32Array.refine((v) => v.length <= MAX_NOISE_VALUES, `at most ${MAX_NOISE_VALUES} values`) }).strict(),
]);
export type NoiseSpec = z.infer<typeof noiseSpec>;
/** Held-out images one encode / decode call may take. */
export const MAX_CYCLE_IMAGES = 32;
/** Images in a noise-to-image row, and the frames along t it may return. */
export const MAX_FRAME_IMAGES = 16;
export const FRAMES = { min: 2, max: 101 } as const;

export const exportFormat = z.enum(['onnx', 'csv', 'npy', 'json']);

export const columnStats = z.object({
  name: z.string(),
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
});

export const jobKind = z.enum(['train', 'sample', 'velocity', 'nearest', 'evaluate', 'export', 'backends', 'dataset', 'images', 'estimate', 'cycle', 'frames']);
export const jobInfo = z.object({
  jobId: z.string(),
  kind: jobKind,
  /** The run a job works on, once known (a new training gets its id when it starts). */
  runId: z.string().nullable(),
  name: z.string(),
  state: z.enum(['queued', 'running', 'paused']),
});

/** A training that failed before its run existed: why, for the page that queued it. */
export const failedJob = z.object({
  jobId: z.string(),
  name: z.string(),
  /** One line: what was wrong and how to fix it. */
  reason: z.string(),
  /** When it failed (ISO 8601). */
  at: z.string(),
});

export const settings = z.object({
  backend: z.enum(BACKENDS),
  threads: z.number().int().min(0).max(256),
});

export type RunRecordWire = z.infer<typeof runRecord>;
export type RunFilter = z.infer<typeof runFilter>;
export type JobInfo = z.infer<typeof jobInfo>;
export type FailedJob = z.infer<typeof failedJob>;
export type Settings = z.infer<typeof settings>;
export type ColumnStats = z.infer<typeof columnStats>;
export type SolverName = z.infer<typeof solverName>;
export type ExportFormat = z.infer<typeof exportFormat>;
