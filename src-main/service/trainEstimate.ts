/**
 * What the wizard shows before an image training starts: the net's parameter count, the memory
 * the training holds and the time of one step, measured here (two steps run on the real program:
 * the first pays the session's warm-up, the second is timed). Also real images of a dataset for
 * the wizard's tiles, as floats in the flow's data range [-1, 1].
 */
import { parseConfig, type ExperimentConfigInput } from '../api/config.js';
import { UserError } from '../errors.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import { netParamCount, netSpecFor } from '../engine/nets/velocityNet.js';
import { resolveBackend } from '../engine/onnx/runtime.js';
import { ImageTrainSession, initialImageState } from '../engine/train/imageTrainSession.js';
import { imageSize, loadImageDataset } from '../engine/data/images/index.js';
import { Rng } from '../engine/random.js';
import { isImageRun, loadImageRunData, withImageDefaults } from './imageRunData.js';

const FLOAT = 4;
/** Copies of the parameters a training holds: weights, gradient, Adam's two moments, the EMA. */
const PARAMETER_COPIES = 5;
/** Stream of the images a dataset preview picks (any fixed stream: the tiles stay the same). */
const PREVIEW_STREAM = 0x54494c45; // "TILE"

export interface TrainEstimate {
  params: number;
  /** Parameter copies plus the resident memory the measured steps added (activations, program). */
  memoryBytes: number;
  secondsPerStep: number;
  shape: number[];
}

export async function estimateTraining(input: ExperimentConfigInput): Promise<TrainEstimate> {
  const config = parseConfig(withImageDefaults(input));
  if (!isImageRun(config)) throw new UserError('a measured step estimate is made for image runs; a 2-D run shows its parameter count in the wizard');
  const data = await loadImageRunData(config);
  const net = netSpecFor(config.net, data.shape);
  const params = netParamCount(net);
  const before = process.memoryUsage().rss;
  const backend = await resolveBackend(config.backend, 'train');
  const session = await ImageTrainSession.create({
    config, net, interpolant: getInterpolant(config.interpolant), images: data.train,
    state: initialImageState(net, config.train.seed), backend, threads: config.threads,
  });
  try {
    await session.advance(session.stepsPerCall);
    const t0 = performance.now();
    await session.advance(session.stepsPerCall);
    const secondsPerStep = (performance.now() - t0) / 1000 / session.stepsPerCall;
    const grown = Math.max(0, process.memoryUsage().rss - before);
    return { params, memoryBytes: params * PARAMETER_COPIES * FLOAT + grown, secondsPerStep, shape: data.shape };
  } finally {
    await session.release();
  }
}

/** n images of an image dataset, chosen by seed, as [n, C H W] floats in [-1, 1], with their shape. */
export async function imagePreview(spec: string, n: number, seed: number): Promise<{ n: number; d: number; data: Float32Array; shape: number[]; count: number }> {
  const ds = await loadImageDataset(spec);
  const d = imageSize(ds);
  const k = Math.min(n, ds.n);
  const rng = new Rng(seed, PREVIEW_STREAM);
  const data = new Float32Array(k * d);
  for (let i = 0; i < k; i++) {
    const row = Math.min(ds.n - 1, Math.floor(rng.uniform() * ds.n));
    for (let j = 0; j < d; j++) data[i * d + j] = (2 * ds.pixels[row * d + j] + 1) / 256 - 1;
  }
  return { n: k, d, data, shape: [ds.c, ds.h, ds.w], count: ds.n };
}
