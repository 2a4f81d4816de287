/**
 * The images a run trains and evaluates on, rebuilt deterministically from its config: the
 * dataset read (a folder at `images.size` in `images.color`), split into train / held-out images
 * by the run's seed, and checked against the net before anything is recorded.
 */
import { ConfigError, defaultConfig, IMAGE_INTERPOLANT, IMAGE_TRAIN_DEFAULTS, unetLevelsProblem, type ExperimentConfig, type ExperimentConfigInput } from '../api/config.js';
import { imageShape, isImageDatasetSpec, loadImageDataset, splitImages, type ImageDataset } from '../engine/data/images/index.js';

export interface ImageRunData {
  /** One sample's shape [C, H, W]. */
  shape: [number, number, number];
  train: ImageDataset;
  test: ImageDataset;
}

/** Does this run train on images? (A U-Net always does; an MLP does when its dataset is images.) */
export function isImageRun(config: Pick<ExperimentConfig, 'net' | 'dataset'>): boolean {
  return config.net.kind === 'unet' || isImageDatasetSpec(config.dataset);
}

/** Every default filled in, the image ones (U-Net, IMAGE_TRAIN_DEFAULTS) when the dataset is images. */
export function defaultConfigFor(dataset: string, seed: number): ExperimentConfig {
  return defaultConfig(dataset, seed, isImageDatasetSpec(dataset));
}

/**
 * A config as a door sent it, with the image defaults where it leaves the net's kind or training
 * fields out and its dataset is images: a U-Net, IMAGE_INTERPOLANT, IMAGE_TRAIN_DEFAULTS. Fields it gives stay.
 */
export function withImageDefaults(input: ExperimentConfigInput): ExperimentConfigInput {
  if (typeof input.dataset !== 'string' || (input.net as { kind?: unknown } | undefined)?.kind !== undefined || !isImageDatasetSpec(input.dataset)) return input;
  return {
    ...input,
    interpolant: input.interpolant ?? IMAGE_INTERPOLANT,
    net: { ...(input.net ?? {}), kind: 'unet' } as ExperimentConfigInput['net'],
    train: { ...IMAGE_TRAIN_DEFAULTS, ...(input.train ?? {}) } as ExperimentConfigInput['train'],
  };
}

export async function loadImageRunData(config: ExperimentConfig): Promise<ImageRunData> {
  if (!isImageDatasetSpec(config.dataset)) {
    throw new ConfigError('net.kind', `'unet' needs an image dataset (mnist, a folder of pictures, a CIFAR-10 file or an .npy of images), but '${config.dataset}' is not one; use 'mlp'`);
  }
  if (config.base !== 'gaussian') throw new ConfigError('base', "must be 'gaussian' for image datasets (image-to-image transport is not supported)");
  const full = await loadImageDataset(config.dataset, { size: config.images.size, channels: config.images.color === 'gray' ? 1 : 3 });
  const shape = imageShape(full);
  if (config.net.kind === 'unet') {
    const problem = unetLevelsProblem(config.net.channelMults.length, full.h, full.w);
    if (problem) throw new ConfigError('net.channelMults', `${problem} (images of ${config.dataset})`);
  }
  const { train, test } = splitImages(full, config.heldOut, config.train.seed);
  if (config.train.batch > train.n) {
    throw new ConfigError('train.batch', `${config.train.batch} is larger than the ${train.n} training images of '${config.dataset}'; use ${Math.max(1, Math.min(train.n, 64))} or less`);
  }
  return { shape, train, test };
}
