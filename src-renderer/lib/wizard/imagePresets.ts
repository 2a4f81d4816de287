/**
 * The wizard's image side: switching the net with the kind of data, and the U-Net presets.
 * The settings are named constants so the docs, the tests and the buttons agree.
 */
import {
  defaultConfig, DEFAULT_UNET, IMAGE_TRAIN_DEFAULTS, type ExperimentConfig, type UnetNetConfig,
} from '../../../src-main/api/config.js';

export interface UnetPreset {
  id: string;
  title: string;
  description: string;
  net: UnetNetConfig;
  train: { steps: number; batch: number; lr: number; warmupSteps: number; emaDecay?: number; timeSampling?: 'uniform' | 'late' };
}

/**
 * "MNIST in 15 minutes": the CLI's image defaults (a base-8, three-level U-Net at batch 16), whose
 * 12,000 steps took 13 min 13 s (15.3 steps/s) on the quiet 2-core host.
 */
export const MNIST_QUICK: UnetPreset = {
  id: 'mnist-15min',
  title: 'MNIST in 15 minutes',
  description: 'A small U-Net (8 base channels, 3 levels) for 12,000 steps at batch 16: recognisable digits on a laptop CPU.',
  net: structuredClone(DEFAULT_UNET),
  train: { ...IMAGE_TRAIN_DEFAULTS },
};

/** "MNIST best quality": a DDPM-like U-Net (32 channels, 3 levels, 2 blocks, attention) for 20k steps at batch 64: hours on a CPU. */
export const MNIST_BEST: UnetPreset = {
  id: 'mnist-best',
  title: 'MNIST best quality',
  description: 'A larger U-Net (32 base channels, levels ×1 ×2 ×2, 2 blocks each, attention) for 20,000 steps at batch 64; for a GPU or an overnight run.',
  net: { kind: 'unet', baseChannels: 32, channelMults: [1, 2, 2], blocksPerLevel: 2, attention: true, timeFrequencies: 4 },
  train: { steps: 20_000, batch: 64, lr: 2e-4, warmupSteps: 1000 },
};

export const UNET_PRESETS = [MNIST_QUICK, MNIST_BEST];

export function applyUnetPreset(config: ExperimentConfig, p: UnetPreset): void {
  config.net = structuredClone(p.net);
  config.train = { ...config.train, ...p.train };
}

/**
 * The config after choosing a dataset: an image dataset brings the U-Net and the image training
 * defaults (as the CLI does), a 2-D one the MLP and its defaults; a dataset of the same kind as
 * before keeps the net and training the user set.
 */
export function chooseDataset(config: ExperimentConfig, dataset: string, image: boolean): void {
  const wasImage = config.net.kind === 'unet';
  config.dataset = dataset;
  if (image === wasImage) return;
  // the net, interpolant and training of `defaultConfig`, which the CLI's `train --dataset` uses too
  const d = defaultConfig(dataset, config.train.seed, image);
  if (image) config.base = 'gaussian';
  config.interpolant = d.interpolant;
  config.net = d.net;
  config.train = d.train;
}
