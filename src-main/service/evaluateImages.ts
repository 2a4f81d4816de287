/**
 * The figures of an image run (SCIENCE.md sections 4 and 7):
 *   nll   held-out images, dequantised as in training (x = 2 (k + u)/256 - 1), integrated back to
 *         the Gaussian base with the divergence by Hutchinson (exact would cost D = C H W
 *         backward passes per image); bits/dim = NLL_x / (D ln 2) + 7, NLL_x in nats of the
 *         [-1, 1]-scaled data, an upper bound on the discrete model's bits/dim;
 *   sample metrics  model images beside held-out images, by the metrics registered in
 *         IMAGE_SAMPLE_METRICS (the classifier-based ones: Frechet distance, class histogram,
 *         confident fraction, nearest-training distance).
 */
import { UserError } from '../errors.js';
import { EVAL_POINTS } from '../api/schemas.js';
import { dequantizeRows, type ImageDataset } from '../engine/data/images/index.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import { resolveBackend } from '../engine/onnx/runtime.js';
import { Rng } from '../engine/random.js';
import { logLikelihood, standardNormalLogDensity } from '../engine/sample/likelihood.js';
import { netDivergence } from '../engine/sample/netDivergence.js';
import { NetSampler, type SolverName } from '../engine/sample/netSampler.js';
import type { Evaluation, EvaluateOptions } from './evaluate.js';
import { loadImageRunData } from './imageRunData.js';
import { defaultSampler, samplerLabel } from './sample.js';
import { digitMetrics } from './digitMetrics.js';
import type { RunWeights } from './runModel.js';

/** Held-out images evaluated by default: a U-Net likelihood solve costs seconds per image on a CPU. */
export const DEFAULT_IMAGE_EVAL_N = 100;
/** Hutchinson probes per image by default: one, as FFJORD; its noise averages over the images and shows in the standard error. */
export const IMAGE_HUTCHINSON_PROBES = 1;
/** dopri5 tolerances for images: 1e-5 on 784 values per image takes thousands of NFE on a CPU; 1e-4 changes bits/dim in the third decimal. */
export const IMAGE_EVAL_TOL = 1e-4;
/** bits/dim = NLL_x / (D ln 2) + 7: log2(256) for the 8-bit bins, minus 1 for the [-1, 1] scaling (SCIENCE.md section 7). */
export const BITS_PER_DIM_OFFSET = 7;
/** Counter of the evaluation's dequantisation noise (a fixed pass number, apart from training steps). */
const EVAL_DEQUANTIZE_COUNTER = 0xe7a1;
const EVAL_STREAM = 0x4556414c; // "EVAL"

/** Model samples and held-out images, both [n, C, H, W] in the training scale [-1, 1]. */
export interface ImageSampleSet {
  samples: Float32Array;
  heldOut: Float32Array;
  n: number;
  shape: number[];
  train: ImageDataset;
  seed: number;
  /** The run's dataset spec (metrics that fit one dataset, such as the digit classifier's, check it). */
  dataset: string;
}

/** Image metrics by name; each returns its figures for the evaluation record (none where it does not apply). */
export const IMAGE_SAMPLE_METRICS: { name: string; compute: (s: ImageSampleSet) => Promise<Evaluation> | Evaluation }[] = [
  { name: 'digit classifier', compute: digitMetrics },
];

/** bits/dim of images from the NLL of their [-1, 1]-scaled dequantised values (nats) and D values each. */
export function bitsPerDim(nllNats: number, D: number): number {
  return nllNats / (D * Math.LN2) + BITS_PER_DIM_OFFSET;
}

export async function evaluateImageRun(o: EvaluateOptions, w: RunWeights, want: { nll: boolean; distances: boolean; geometry: boolean }): Promise<Evaluation> {
  const started = performance.now();
  if (o.hutchinson !== undefined && !(Number.isInteger(o.hutchinson) && o.hutchinson >= 1)) {
    throw new UserError(`hutchinson must be a whole number of probes >= 1, got ${o.hutchinson}`, 'hutchinson');
  }
  // images may be evaluated a few at a time: each costs a U-Net likelihood solve
  if (o.n !== undefined && !(Number.isInteger(o.n) && o.n >= 1 && o.n <= EVAL_POINTS.max)) {
    throw new UserError(`n must be a whole number from 1 to ${EVAL_POINTS.max} for an image run, got ${o.n}`, 'n');
  }
  const data = await loadImageRunData(w.config);
  let n = o.n ?? Math.min(DEFAULT_IMAGE_EVAL_N, data.test.n);
  if (n > data.test.n) {
    o.onNote?.(`n = ${n} is larger than the ${data.test.n} held-out images; using all ${data.test.n}`);
    n = data.test.n;
  }
  const D = w.net.dim;
  const seed = o.seed ?? (w.config.train.seed ^ EVAL_STREAM) >>> 0;
  const backend = await resolveBackend(o.backend ?? w.config.backend, 'solve');
  const threads = o.threads ?? w.config.threads;
  const tMax = getInterpolant(w.config.interpolant).tMax;
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  const heldOut = dequantizeRows(data.test, rows, { seed: w.config.train.seed, counter: EVAL_DEQUANTIZE_COUNTER });
  const out: Evaluation = { n, d: D, shape: JSON.stringify(w.shape) };

  if (want.nll) {
    const probes = o.hutchinson ?? IMAGE_HUTCHINSON_PROBES;
    const div = await netDivergence(w.net, w.params, { probes, seed, backend, threads });
    try {
      const r = await logLikelihood(div.fn, heldOut, n, D, {
        solver: (o.solver ?? 'dopri5') as SolverName,
        at: tMax,
        rtol: o.rtol ?? IMAGE_EVAL_TOL,
        atol: o.atol ?? IMAGE_EVAL_TOL,
        steps: o.steps ?? 100,
        maxSteps: o.maxSteps,
        baseLogDensity: standardNormalLogDensity,
      });
      Object.assign(out, {
        nll: r.nll,
        nllStdErr: r.nllStdErr,
        bitsPerDim: bitsPerDim(r.nll, D),
        bitsPerDimStdErr: r.nllStdErr / (D * Math.LN2),
        nfe: r.nfe,
        nllOf: 'data',
        divergence: `hutchinson-${probes}`,
      });
    } finally {
      await div.release();
    }
  }
  if ((want.distances || want.geometry) && IMAGE_SAMPLE_METRICS.length) {
    const sampler = new NetSampler(w.net, w.params, backend, threads);
    try {
      const x0 = new Rng(seed, 1).fillNormal(new Float32Array(n * D)) as Float32Array;
      // the samples a user draws: the run's default sampler (IMAGE_SAMPLER where it applies)
      const how = defaultSampler(w, true);
      const gen = await sampler.solve(x0, n, {
        solver: how.solver, steps: how.steps, t0: 0, t1: tMax,
        ...(how.sdeEps !== undefined ? { sde: { eps: how.sdeEps, interpolant: w.interpolant, seed } } : {}),
      });
      out.sampler = samplerLabel(how);
      for (const m of IMAGE_SAMPLE_METRICS) Object.assign(out, await m.compute({ samples: gen.x, heldOut, n, shape: w.shape, train: data.train, seed, dataset: w.config.dataset }));
    } finally {
      await sampler.release();
    }
  } else if (want.distances || want.geometry) {
    o.onNote?.('image sample metrics (classifier Frechet distance and the rest) are not available yet; reporting the likelihood only');
  }
  out.seconds = (performance.now() - started) / 1000;
  o.store.saveEvaluation(w.run.id, { n, solver: o.solver ?? 'dopri5', rtol: o.rtol ?? IMAGE_EVAL_TOL, hutchinson: o.hutchinson ?? IMAGE_HUTCHINSON_PROBES, checkpointStep: w.step, ...want }, out);
  return out;
}
