/**
 * An experiment's full configuration: what the wizard builds, what the CLI parses, what a run
 * records. Defaults make the plain `flowlab train --dataset checkerboard` a good experiment.
 */
import { UserError } from '../errors.js';
import { isGaussianSpec, parseGaussianSpec } from './data/gaussianSpec.js';
import { isToyName } from './data/toys.js';

export const INTERPOLANTS = ['linear', 'trig', 'encdec', 'vp', 'stochastic'] as const;
export type InterpolantName = (typeof INTERPOLANTS)[number];
export const ACTIVATIONS = ['silu', 'tanh', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const BACKENDS = ['auto', 'cpu', 'webgpu', 'cuda'] as const;
export type BackendChoice = (typeof BACKENDS)[number];
export const OPTIMIZERS = ['adam', 'adamw'] as const;
export const SCHEDULES = ['cosine', 'constant'] as const;
/**
 * How training draws t: 'uniform' (t ~ U(0, 1)), or 'late' (t = 1 - (1 - u)^2, density
 * 1 / (2 sqrt(1 - t))), which spends more of the batch where the field forms the data's fine
 * structure. The regression's minimiser is the same velocity either way (it is pointwise in t);
 * only the weighting of the loss over t changes. Measured on the default checkerboard run
 * (20k steps): 92.9% of samples in the squares with 'late' against 90.7% with 'uniform'.
 */
export const TIME_SAMPLINGS = ['uniform', 'late'] as const;
export type TimeSampling = (typeof TIME_SAMPLINGS)[number];

export interface NetConfig {
  width: number;
  depth: number;
  activation: Activation;
  /** Number of Fourier frequencies of t: features t, sin(2 pi k t), cos(2 pi k t), k = 1..F. */
  timeFrequencies: number;
}

export interface TrainConfig {
  steps: number;
  batch: number;
  lr: number;
  optimizer: (typeof OPTIMIZERS)[number];
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  warmupSteps: number;
  schedule: (typeof SCHEDULES)[number];
  /**
   * Cosine schedule: the rate decays from lr to lrFloor x lr. Absent in configs recorded before
   * the option existed: those decayed to 0.
   */
  lrFloor?: number;
  /** Global gradient-norm clip; 0 disables. */
  clipNorm: number;
  emaDecay: number;
  /** Absent in configs recorded before the option existed: those trained with 'uniform'. */
  timeSampling?: TimeSampling;
  seed: number;
}

export interface ExperimentConfig {
  name?: string;
  /** Toy name, 'gaussian', or a path to a .csv/.npy file. */
  dataset: string;
  /** 'gaussian' (standard normal) or a dataset spec as above (data-to-data transport). */
  base: string;
  interpolant: InterpolantName;
  net: NetConfig;
  train: TrainConfig;
  /** Fraction of the data held out for evaluation. */
  heldOut: number;
  backend: BackendChoice;
  /** ONNX Runtime intra-op threads; 0 = one per core. */
  threads: number;
}

export const DEFAULT_NET: NetConfig = { width: 256, depth: 3, activation: 'silu', timeFrequencies: 4 };

export const DEFAULT_TRAIN: Omit<TrainConfig, 'seed'> = {
  steps: 20000,
  batch: 1024,
  lr: 1e-3,
  optimizer: 'adam',
  weightDecay: 0,
  beta1: 0.9,
  beta2: 0.98,
  eps: 1e-8,
  warmupSteps: 500,
  schedule: 'cosine',
  lrFloor: 0.1,
  clipNorm: 1.0,
  emaDecay: 0.999,
  timeSampling: 'late',
};

export function defaultConfig(dataset: string, seed: number): ExperimentConfig {
  return {
    dataset,
    base: 'gaussian',
    interpolant: 'trig',
    net: { ...DEFAULT_NET },
    train: { ...DEFAULT_TRAIN, seed },
    heldOut: 0.1,
    backend: 'auto',
    threads: 0,
  };
}

function positiveInt(name: string, v: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(v) || v <= 0 || v > max) {
    throw new UserError(`${name} must be a whole number between 1 and ${max}, got ${v}; pass one in that range`);
  }
}

function positive(name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw new UserError(`${name} must be a positive number, got ${v}; pass a value > 0`);
}

function oneOf<T extends string>(name: string, v: string, allowed: readonly T[]): void {
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UserError(`unknown ${name} '${v}'; choose one of ${allowed.join(', ')}`);
  }
}

/**
 * The dimension of a toy (2) or a gaussian:MEAN[:COV] spec (checked here, so a typo is reported
 * before anything runs); null for files, whose columns are known only once read.
 */
function specDimension(field: 'dataset' | 'base', spec: string): number | null {
  if (isToyName(spec.trim().toLowerCase())) return 2;
  if (!isGaussianSpec(spec)) return null;
  try {
    return parseGaussianSpec(spec).d;
  } catch (e) {
    throw e instanceof UserError ? new UserError(`${field} ${e.message}`) : e;
  }
}

/** Checks every field; throws a UserError naming the first bad one and how to fix it. */
export function validateConfig(c: ExperimentConfig): ExperimentConfig {
  if (!c.dataset) throw new UserError('no dataset given; pass --dataset <toy name | file.csv | file.npy>');
  const dims = { dataset: specDimension('dataset', c.dataset), base: c.base === 'gaussian' ? null : specDimension('base', c.base) };
  if (dims.dataset !== null && dims.base !== null && dims.dataset !== dims.base) {
    throw new UserError(`base must have the dataset's dimension: '${c.base}' is ${dims.base}-D but '${c.dataset}' is ${dims.dataset}-D`);
  }
  oneOf('interpolant', c.interpolant, INTERPOLANTS);
  oneOf('activation', c.net.activation, ACTIVATIONS);
  oneOf('backend', c.backend, BACKENDS);
  oneOf('optimizer', c.train.optimizer, OPTIMIZERS);
  oneOf('schedule', c.train.schedule, SCHEDULES);
  if (c.train.timeSampling !== undefined) oneOf('time sampling', c.train.timeSampling, TIME_SAMPLINGS);
  positiveInt('width', c.net.width, 8192);
  positiveInt('depth', c.net.depth, 64);
  if (!Number.isInteger(c.net.timeFrequencies) || c.net.timeFrequencies < 0 || c.net.timeFrequencies > 64) {
    throw new UserError(`timeFrequencies must be a whole number in 0..64, got ${c.net.timeFrequencies}`);
  }
  positiveInt('steps', c.train.steps, 100_000_000);
  positiveInt('batch', c.train.batch, 1 << 20);
  positive('lr', c.train.lr);
  positive('eps', c.train.eps);
  if (!(c.train.beta1 >= 0 && c.train.beta1 < 1) || !(c.train.beta2 >= 0 && c.train.beta2 < 1)) {
    throw new UserError('beta1 and beta2 must lie in [0, 1)');
  }
  if (!(c.train.emaDecay >= 0 && c.train.emaDecay < 1)) throw new UserError(`emaDecay must lie in [0, 1), got ${c.train.emaDecay}`);
  if (!(c.train.weightDecay >= 0)) throw new UserError(`weightDecay must be >= 0, got ${c.train.weightDecay}`);
  if (!(c.train.clipNorm >= 0)) throw new UserError(`clipNorm must be >= 0 (0 disables clipping), got ${c.train.clipNorm}`);
  if (c.train.lrFloor !== undefined && !(typeof c.train.lrFloor === 'number' && c.train.lrFloor >= 0 && c.train.lrFloor <= 1)) {
    throw new UserError(`lrFloor must lie in [0, 1] (a fraction of lr), got ${c.train.lrFloor}`);
  }
  if (!Number.isInteger(c.train.warmupSteps) || c.train.warmupSteps < 0) {
    throw new UserError(`warmupSteps must be a whole number >= 0, got ${c.train.warmupSteps}`);
  }
  if (!Number.isInteger(c.train.seed) || c.train.seed < 0 || c.train.seed > 0xffffffff) {
    throw new UserError(`seed must be a whole number in 0..4294967295, got ${c.train.seed}`);
  }
  if (!(c.heldOut > 0 && c.heldOut < 0.5)) throw new UserError(`heldOut must lie in (0, 0.5), got ${c.heldOut}`);
  if (!Number.isInteger(c.threads) || c.threads < 0 || c.threads > 256) {
    throw new UserError(`threads must be a whole number in 0..256 (0 = automatic), got ${c.threads}`);
  }
  return c;
}
