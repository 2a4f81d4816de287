/**
 * The API contract: every method the renderer (or any door's client) may call, with the schema
 * of its arguments and of its result. The Electron IPC door, the WebSocket door and the CLI all
 * validate against this one table; the renderer imports only its types.
 */
import { z } from 'zod';
import {
  columnStats, EVAL_POINTS, exportFormat, failedJob, experimentConfigArg, float32Array, float64Array, jobInfo,
  MAX_IMPORT_BYTES, MAX_SAMPLE_POINTS, MAX_SEED, MAX_SOLVER_STEPS, pointCloud, SAMPLE_DIRECTIONS, SOLVER_TOLERANCE, runFilter, runId, runRecord, settings,
  SDE_EPS, solverName, uint8Array, noiseSpec, MAX_INTERPOLATION_POINTS, MAX_CYCLE_IMAGES, MAX_FRAME_IMAGES, FRAMES,
} from './schemas.js';

const none = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const byRun = z.object({ runId }).strict();
/** Figures by key (api/metricInfo.ts describes them); null where undefined for the run. */
const evaluationResults = z.record(z.string(), z.number().nullable());
/** Why each null figure is undefined (e.g. points outside a bounded target's support). */
const undefinedReasons = z.record(z.string(), z.string());
/** Figures that are lists (api/metricInfo.ts LIST_INFO: the class histogram, the sampler-steps curves), by key; null entries are undefined figures. */
const evaluationLists = z.record(z.string(), z.array(z.number().nullable()));
/** Images the nearest-training search takes at once: a gallery, not a data set. */
export const MAX_NEAREST_IMAGES = 256;
const importedDataset = z.object({ path: z.string(), n: z.number(), d: z.number(), columns: z.array(columnStats), preview: pointCloud });

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R, doc: string) {
  return { args, result, doc };
}

export const METHODS = {
  'app.info': method(
    none,
    z.object({
      version: z.string(),
      door: z.enum(['server', 'electron']),
      dataDir: z.string(),
      backends: z.array(z.object({ name: z.string(), available: z.boolean(), reason: z.string().optional(), note: z.string().optional() })),
      cores: z.number(),
    }),
    'Version, data folder and which execution backends this machine offers.',
  ),
  'settings.get': method(none, settings, 'The saved settings.'),
  'settings.set': method(settings.partial().strict(), settings, 'Changes some settings; returns all of them.'),

  'datasets.list': method(
    none,
    z.array(z.object({
      name: z.string(), label: z.string(), description: z.string(), dim: z.number(),
      /** Image datasets: one image's channels and size, and how many images there are. */
      image: z.object({ channels: z.number(), height: z.number(), width: z.number(), count: z.number() }).optional(),
    })),
    'The built-in datasets (2-D toys, the standard Gaussian, and MNIST digits with their image shape).',
  ),
  'datasets.preview': method(
    z.object({ name: z.string().min(1).max(4096), n: z.number().int().min(1).max(20_000), seed: z.number().int().min(0) }).strict(),
    pointCloud,
    'n points of a dataset, for thumbnails and the samples-vs-data plot; n images [n, C H W] in [-1, 1] of an image dataset.',
  ),
  'datasets.import': method(
    z.object({ fileName: z.string().min(1).max(255), bytes: uint8Array.refine((b) => b.byteLength <= MAX_IMPORT_BYTES, 'file too large') }).strict(),
    importedDataset,
    'Checks and saves an uploaded CSV or NPY file into the data folder; returns its stats and a preview.',
  ),
  'datasets.choose': method(
    none,
    importedDataset.nullable(),
    'Desktop app: asks for a CSV or NPY file with a file dialog and imports it like an upload; null if the user cancelled.',
  ),

  'pretrained.list': method(
    none,
    z.array(z.object({
      name: z.string(), title: z.string(), description: z.string(), dataset: z.string(), interpolant: z.string(),
      metrics: z.record(z.string(), z.number()),
    })),
    'The pretrained models shipped with the app (models/), with how they measured.',
  ),
  'pretrained.import': method(
    z.object({ name: z.string().min(1).max(100) }).strict(),
    runRecord,
    'Adds a pretrained model to the runs as a completed run (once), ready to sample and explore.',
  ),

  'runs.list': method(z.object({ filter: runFilter.optional() }).strict(), z.array(runRecord), 'Every run, newest first.'),
  'runs.get': method(byRun, runRecord, 'One run with its config.'),
  'runs.update': method(
    z.object({ runId, name: z.string().min(1).max(200).optional(), tags: z.array(z.string().max(100)).max(50).optional(), notes: z.string().max(20_000).optional() }).strict(),
    runRecord,
    'Renames a run or sets its tags or notes.',
  ),
  'runs.delete': method(byRun, ok, 'Deletes a run and everything recorded for it.'),
  'runs.metric': method(
    z.object({ runId, name: z.string().min(1).max(100), afterStep: z.number().optional() }).strict(),
    z.object({ steps: float64Array, values: float64Array }),
    'A metric series (e.g. loss, grad_norm, wall_s) of a run: step numbers and values; with afterStep, only the steps after it.',
  ),
  'runs.samples': method(
    byRun,
    z.object({ step: z.number(), n: z.number(), d: z.number(), data: float32Array, drawn: z.string().optional() }).nullable(),
    'The latest samples recorded for a run, or null; drawn says how samples drawn after training were made (absent for a training preview).',
  ),
  'runs.figures': method(
    none,
    z.array(z.object({
      runId,
      recentLoss: z.number().nullable(),
      runningSince: z.string().nullable(),
      evaluation: evaluationResults.nullable(),
    })),
    'Per run, what the runs table compares: the mean loss of the last 100 steps, the latest evaluation\'s figures, and since when a running run runs.',
  ),
  'runs.previews': method(
    byRun,
    z.array(z.object({ id: z.number().int(), step: z.number() })),
    'The preview samples drawn while a run trained, oldest first (their ids and steps).',
  ),
  'runs.preview': method(
    z.object({ runId, id: z.number().int().nonnegative() }).strict(),
    z.object({ step: z.number(), n: z.number(), d: z.number(), data: float32Array }),
    'One preview sample set of a run, by the id runs.previews gave.',
  ),
  'runs.evaluations': method(
    byRun,
    z.array(z.object({ createdAt: z.string(), results: evaluationResults, reasons: undefinedReasons, lists: evaluationLists })),
    'Every evaluation of a run, oldest first.',
  ),

  'jobs.list': method(none, z.array(jobInfo), 'Jobs waiting, running or paused, in order.'),
  'jobs.cancel': method(
    z.object({ jobId: z.string().min(1).max(100) }).strict(),
    ok,
    'Cancels a job: a waiting one is removed, a running sample or evaluation ends, a running training stops resumably.',
  ),
  'jobs.failed': method(none, z.array(failedJob), 'Trainings that failed before their run existed, with the reason, for an hour.'),

  'train.start': method(
    z.object({ config: experimentConfigArg }).strict(),
    z.object({ jobId: z.string(), position: z.number() }),
    'Queues a new training; its run id arrives with the "started" event.',
  ),
  'train.estimate': method(
    z.object({ config: experimentConfigArg }).strict(),
    z.object({ params: z.number(), memoryBytes: z.number(), secondsPerStep: z.number(), shape: z.array(z.number()) }),
    'An image training measured before it starts: parameter count, memory, and the time of one step on this machine (two real steps).',
  ),
  'train.resume': method(byRun, z.object({ jobId: z.string(), position: z.number() }), 'Queues a stopped or interrupted run to continue from its last checkpoint.'),
  'train.pause': method(byRun, ok, 'Pauses a running training (its engine process keeps it).'),
  'train.unpause': method(byRun, ok, 'Continues a paused training.'),
  'train.stop': method(byRun, ok, 'Stops a training; the run keeps its last checkpoint and can be resumed.'),

  'sample.run': method(
    z.object({
      runId,
      n: z.number().int().min(1).max(MAX_SAMPLE_POINTS),
      solver: solverName,
      steps: z.number().int().min(1).max(MAX_SOLVER_STEPS).optional(),
      snapshots: z.number().int().min(2).max(201).optional(),
      direction: z.enum(SAMPLE_DIRECTIONS).optional(),
      seed: z.number().int().min(0).max(MAX_SEED).optional(),
      rtol: z.number().min(SOLVER_TOLERANCE.min).max(SOLVER_TOLERANCE.max).optional(),
      atol: z.number().min(SOLVER_TOLERANCE.min).max(SOLVER_TOLERANCE.max).optional(),
      sdeEps: z.number().min(SDE_EPS.min).max(SDE_EPS.max).optional(),
      noise: noiseSpec.optional(),
      keep: z.boolean().optional(),
    }).strict().refine((a) => a.noise?.kind !== 'slerp' || a.n <= MAX_INTERPOLATION_POINTS, {
      message: `an interpolated row holds at most ${MAX_INTERPOLATION_POINTS} points`, path: ['n'],
    }),
    z.object({
      n: z.number(), d: z.number(), nfe: z.number(), seconds: z.number(), x: float32Array,
      snapshots: z.object({ t: z.array(z.number()), xs: z.array(float32Array) }).optional(),
    }),
    'Draws n samples by solving the flow ODE (or encodes n held-out points: direction encode) with the given solver, steps or tolerances and seed (em and sde-heun: the SDE with diffusion sdeEps, Gaussian base); optional snapshots along t for the time slider. '
      + 'noise: start from given base noise instead, or from n slerp points between the noise of two seeds (a seed\'s noise is the first image of its gallery). The samples become the run\'s latest unless keep is false.',
  ),
  'sample.cycle': method(
    z.object({
      runId,
      indices: z.array(z.number().int().min(0).max(10_000_000)).min(1).max(MAX_CYCLE_IMAGES),
      solver: solverName,
      steps: z.number().int().min(1).max(MAX_SOLVER_STEPS).optional(),
      rtol: z.number().min(SOLVER_TOLERANCE.min).max(SOLVER_TOLERANCE.max).optional(),
      atol: z.number().min(SOLVER_TOLERANCE.min).max(SOLVER_TOLERANCE.max).optional(),
    }).strict(),
    z.object({
      n: z.number(), d: z.number(), shape: z.array(z.number()), original: float32Array, noise: float32Array, reconstruction: float32Array,
      rms: z.array(z.number()), nfe: z.number(), seconds: z.number(),
    }),
    'Image runs: encodes held-out images (by index) to the base and decodes them back with an ODE solver; each image\'s cycle error is the RMS of reconstruction - original in pixel scale [0, 1].',
  ),
  'sample.frames': method(
    z.object({
      runId,
      n: z.number().int().min(1).max(MAX_FRAME_IMAGES),
      seed: z.number().int().min(0).max(MAX_SEED).optional(),
      solver: solverName,
      steps: z.number().int().min(1).max(MAX_SOLVER_STEPS).optional(),
      frames: z.number().int().min(FRAMES.min).max(FRAMES.max),
    }).strict(),
    z.object({
      n: z.number(), d: z.number(), shape: z.array(z.number()), t: z.array(z.number()), xs: z.array(float32Array), speed: z.array(float32Array),
      nfe: z.number(), seconds: z.number(),
    }),
    'Image runs: noise to image. A row of n samples from a seed\'s noise at evenly spaced times (fixed-step solver), with |v(t, x_t)| per pixel at each.',
  ),
  'sample.velocity': method(
    z.object({ runId, t: z.number().min(0).max(1), points: float32Array, n: z.number().int().min(1).max(100_000) }).strict(),
    z.object({ v: float32Array }),
    'The learned velocity v(t, x) at n points, for the arrow field.',
  ),
  'evaluate.run': method(
    z.object({ runId, n: z.number().int().min(EVAL_POINTS.min).max(EVAL_POINTS.max).optional(), at: z.number().min(0).max(1).optional(), nfe: z.boolean().optional() }).strict(),
    z.object({ results: evaluationResults, reasons: undefinedReasons, lists: evaluationLists }),
    'Measures the run (distances to held-out data, NLL where available) and records it; a figure that is undefined for the run is null, with its reason. '
      + 'With at = T, only the NLL (nats) of held-out points pushed to time T along the interpolant (an upper bound on the entropy of rho_T). '
      + 'With nfe, only the steps its samplers need: euler and rk4 at 2 to 32 steps, each sampler\'s KL gap by its exact density and its energy distance.',
  ),
  'images.nearest': method(
    z.object({ runId, n: z.number().int().min(1).max(MAX_NEAREST_IMAGES), x: float32Array }).strict(),
    z.object({ n: z.number(), d: z.number(), neighbours: float32Array, distances: z.array(z.number()), indices: z.array(z.number()) }),
    'For each of n images of an image run (rows of x, in the training scale [-1, 1]), its nearest training image (same scale) and the L2 distance in pixel units [0, 1]: memorization at a glance.',
  ),
  'export.run': method(
    z.object({ runId, format: exportFormat }).strict(),
    z.object({ fileName: z.string(), size: z.number(), bytes: uint8Array.optional(), path: z.string().optional() }),
    'Exports samples (csv, npy), the velocity net (onnx) or the run (json); the browser gets the bytes, Electron a saved file.',
  ),
} as const;

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
export type ArgsOf<M extends MethodName> = z.input<Methods[M]['args']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** What a failed call carries back: 'invalid' = the request broke the contract; 'user' = bad input the user can fix. */
export interface ApiErrorBody {
  kind: 'invalid' | 'user' | 'internal';
  message: string;
}

/** WebSocket frames, client to server and back. */
export type ClientFrame = { id: number; method: string; args: unknown };
export type ServerFrame =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ApiErrorBody }
  | { event: unknown };

export { float32Array, pointCloud };
