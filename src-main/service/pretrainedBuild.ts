/**
 * A pretrained model from a trained run: its exported velocity net (<name>.onnx) and a manifest
 * (<name>.json) with its config, recorded curves, fresh measurements and a few samples, as
 * pretrained.ts imports them. An image run ships its shape, its image figures (bits/dim on
 * held-out images, classifier Frechet distance and floor, confident fraction, class fractions)
 * and its samples as pixel levels; a 2-D run its distances and its samples as numbers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { parseConfig } from '../api/config.js';
import { LIST_INFO } from '../api/metricInfo.js';
import { getToy, isToyName } from '../engine/data/index.js';
import type { Store } from '../store/index.js';
import { VERSION } from '../version.js';
import { evaluateRun, splitEvaluation } from './evaluate.js';
import { velocityModelBytes } from './export.js';
import { type PretrainedManifest } from './pretrained.js';
import { downsampleCurves, round, SHIPPED_IMAGES, SHIPPED_SAMPLES, toPixelLevels } from './pretrainedHistory.js';
import { loadRunWeights } from './runModel.js';
import { sampleRun } from './sample.js';

/** Fixed-step settings of a 2-D model's shipped samples: rk4 with 50 steps, the evaluation's own. Images: the run's default sampler. */
const SHIPPED_SOLVER = { solver: 'rk4' as const, steps: 50 };
/** Points drawn for a 2-D model's in-support fraction. */
const SUPPORT_POINTS = 10_000;
/** The noise seed of the shipped image samples: the gallery's (ImageRunView GALLERY_SEED). */
const SHIPPED_IMAGE_SEED = 0;

export interface BuildFromRunOptions {
  store: Store;
  runId: string;
  /** File name (models/<name>.onnx, .json) and the model's key. */
  name: string;
  /** The models folder to write to. */
  dir: string;
  /** Held-out images or points the evaluation measures (default: the evaluation's own default). */
  evalN?: number;
  /** Samples shipped (default SHIPPED_IMAGES for images, SHIPPED_SAMPLES for points). */
  samples?: number;
  /**
   * Image runs: the eps the model's samples are drawn with (its config's `images.sdeEps`, which
   * the evaluation, the shipped samples and every later draw from the opened model use); default
   * the run's own.
   */
  sdeEps?: number;
  title?: string;
  description?: string;
  onNote?: (message: string) => void;
}

export async function buildPretrainedFromRun(o: BuildFromRunOptions): Promise<PretrainedManifest> {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(o.name)) throw new UserError(`name must be letters, digits, '-' or '_' (a file name), got '${o.name}'`, 'name');
  const w = loadRunWeights(o.store, o.runId);
  const run = w.run;
  if (run.stepsDone < 1) throw new UserError(`run ${run.id} has not trained yet; build a pretrained model from a trained run`, 'run');
  const image = w.shape.length > 1;
  if (o.sdeEps !== undefined) {
    if (!image) throw new UserError('sdeEps is the sampler eps of an image model; a 2-D model ships rk4 samples', 'sdeEps');
    w.config = parseConfig({ ...w.config, images: { ...w.config.images, sdeEps: o.sdeEps } });
  }
  const ev = await evaluateRun({ store: o.store, runId: run.id, weights: w, n: o.evalN, onNote: o.onNote });
  const evaluatedAt = new Date().toISOString();
  const { results, lists } = splitEvaluation(ev);
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(results)) if (typeof v === 'number') metrics[k] = v;
  for (const info of LIST_INFO) if (!lists[info.key]) delete lists[info.key];

  const count = o.samples ?? (image ? SHIPPED_IMAGES : SHIPPED_SAMPLES);
  const drawn = image ? count : Math.max(count, isToyName(w.config.dataset) ? SUPPORT_POINTS : count);
  const r = await sampleRun({ store: o.store, runId: run.id, weights: w, n: drawn, ...(image ? { seed: SHIPPED_IMAGE_SEED } : SHIPPED_SOLVER), save: false });
  if (!image && isToyName(w.config.dataset)) {
    const toy = getToy(w.config.dataset);
    if (toy.logDensity) metrics.inSupport = toy.logDensity(r.x, r.n).filter((l) => l > -Infinity).length / r.n;
  }
  const samples = image
    ? { n: count, shape: w.shape, pixels: toPixelLevels(r.x.subarray(0, count * r.d)), solver: r.sampler.solver, steps: r.sampler.steps ?? 0, ...(r.sampler.sdeEps !== undefined ? { sdeEps: r.sampler.sdeEps } : {}), seed: SHIPPED_IMAGE_SEED }
    : { n: count, d: r.d, data: Array.from(r.x.subarray(0, count * r.d), round), ...SHIPPED_SOLVER };

  const series = Object.fromEntries(['loss', 'grad_norm', 'wall_s'].map((m) => [m, o.store.metricsSeries(run.id, m)]));
  const seconds = run.durationS ?? 0;
  const net = w.config.net;
  const netText = net.kind === 'unet'
    ? `U-Net with ${net.baseChannels} base channels, multipliers ${net.channelMults.join(', ')}`
    : `MLP ${net.depth} x ${net.width} ${net.activation}`;
  const manifest: PretrainedManifest = {
    name: o.name,
    title: o.title ?? `${run.dataset} (pretrained)`,
    description: o.description
      ?? `Trained by FlowLab: ${w.config.interpolant} interpolant from a standard Gaussian, ${netText}, ${run.stepsDone} Adam steps, batch ${w.config.train.batch}, seed ${w.config.train.seed}.`,
    dataset: run.dataset,
    interpolant: run.interpolant,
    dim: w.net.dim,
    ...(image ? { shape: w.shape } : {}),
    tMax: w.interpolant.tMax,
    config: w.config,
    training: {
      steps: run.stepsDone, seconds, stepsPerSec: seconds > 0 ? run.stepsDone / seconds : 0, backend: run.backend ?? 'cpu',
      flowlabVersion: run.appVersion ?? VERSION, date: (run.finishedAt ?? run.createdAt).slice(0, 10),
    },
    metrics,
    ...(Object.keys(lists).length ? { lists } : {}),
    evaluatedAt,
    curves: downsampleCurves(series),
    samples,
  };
  writeFileSync(join(o.dir, `${o.name}.onnx`), velocityModelBytes(o.store, run.id));
  writeFileSync(join(o.dir, `${o.name}.json`), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
