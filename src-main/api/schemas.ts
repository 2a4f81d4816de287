/**
 * Zod schemas of the values the API carries: experiment configs, run records, samples, series.
 * Structure and types are checked here; the engine's `validateConfig` then checks ranges and
 * gives the one-line message the user sees.
 */
import { z } from 'zod';
import { ACTIVATIONS, BACKENDS, INTERPOLANTS, OPTIMIZERS, SCHEDULES, TIME_SAMPLINGS } from '../engine/config.js';

/** Largest sample a single call may ask for: 1M points of 2-D data is 8 MB of float32. */
export const MAX_SAMPLE_POINTS = 1_000_000;
/** Largest file the import accepts over the API (bytes): keeps one message under ~270 MB of base64. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export const float32Array = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
export const float64Array = z.custom<Float64Array>((v) => v instanceof Float64Array, 'expected a Float64Array');
export const uint8Array = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

export const runId = z.string().min(1).max(200);

export const netConfig = z.object({
  width: z.number(),
  depth: z.number(),
  activation: z.enum(ACTIVATIONS),
  timeFrequencies: z.number(),
});

export const trainConfig = z.object({
  steps: z.number(),
  batch: z.number(),
  lr: z.number(),
  optimizer: z.enum(OPTIMIZERS),
  weightDecay: z.number(),
  beta1: z.number(),
  beta2: z.number(),
  eps: z.number(),
  warmupSteps: z.number(),
  schedule: z.enum(SCHEDULES),
  lrFloor: z.number().optional(),
  clipNorm: z.number(),
  emaDecay: z.number(),
  timeSampling: z.enum(TIME_SAMPLINGS).optional(),
  seed: z.number(),
});

export const experimentConfig = z.object({
  name: z.string().max(200).optional(),
  dataset: z.string().min(1).max(4096),
  base: z.string().min(1).max(4096),
  interpolant: z.enum(INTERPOLANTS),
  net: netConfig,
  train: trainConfig,
  heldOut: z.number(),
  backend: z.enum(BACKENDS),
  threads: z.number(),
});

export const runStatus = z.enum(['queued', 'running', 'paused', 'completed', 'failed', 'interrupted', 'stopped']);

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

export const solverName = z.enum(['euler', 'heun', 'midpoint', 'rk4', 'dopri5']);
export const exportFormat = z.enum(['onnx', 'csv', 'npy', 'json']);

export const columnStats = z.object({
  name: z.string(),
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
});

export const jobKind = z.enum(['train', 'sample', 'velocity', 'evaluate', 'export', 'backends']);
export const jobInfo = z.object({
  jobId: z.string(),
  kind: jobKind,
  /** The run a job works on, once known (a new training gets its id when it starts). */
  runId: z.string().nullable(),
  name: z.string(),
  state: z.enum(['queued', 'running', 'paused']),
});

export const settings = z.object({
  backend: z.enum(BACKENDS),
  threads: z.number().int().min(0).max(256),
});

export type RunRecordWire = z.infer<typeof runRecord>;
export type RunFilter = z.infer<typeof runFilter>;
export type JobInfo = z.infer<typeof jobInfo>;
export type Settings = z.infer<typeof settings>;
export type ColumnStats = z.infer<typeof columnStats>;
export type SolverName = z.infer<typeof solverName>;
export type ExportFormat = z.infer<typeof exportFormat>;
