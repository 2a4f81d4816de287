/**
 * An experiment's configuration, written once: each field's type, range, default and one-line
 * help live here, the TypeScript types are inferred from it, and the rules between fields sit
 * beside it. The wizard, the API, the CLI and the engine all check a config with `checkConfig`,
 * so the same value is refused with the same message everywhere. A problem names its field by
 * path (`train.lr`); each door names the field its own way (the CLI as `--lr`, the wizard at
 * the input). Defaults make the plain `flowlab train --dataset checkerboard` a good experiment.
 * Pure (zod only): the renderer and the engine import it.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { gaussianSpecParameters, isGaussianSpec } from './gaussianSpec.js';

/** 'learned': trig plus a sine series on a(t), b(t) whose coefficients training fits by the max-min (SCIENCE.md section 5). */
export const INTERPOLANTS = ['linear', 'trig', 'encdec', 'vp', 'stochastic', 'learned'] as const;
/** The interpolant of point datasets. Images train on IMAGE_INTERPOLANT. */
export const DEFAULT_INTERPOLANT = 'trig';
export const ACTIVATIONS = ['silu', 'tanh', 'gelu'] as const;
export const BACKENDS = ['auto', 'cpu', 'webgpu', 'cuda', 'dml', 'coreml'] as const;
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
/** Velocity nets by kind (engine/nets/registry.ts holds their modules). */
export const NET_KINDS = ['mlp', 'unet'] as const;
export const IMAGE_COLORS = ['gray', 'rgb'] as const;
/** The image dataset whose name the schema knows without reading files (its images are 1 x 28 x 28). */
export const MNIST_DATASET = 'mnist';
const MNIST_SIDE = 28;
/**
 * How a batch's base and data points are paired before x_t is formed: 'independent' (as drawn), or
 * 'ot' (minibatch optimal transport, entropic Sinkhorn inside the training step; engine/train/
 * otCoupling.ts). With the linear interpolant (OT-CFM) a close pair moves in a straight line:
 * straighter paths, lower kinetic energy, fewer solver steps for the same quality; trig's arcs
 * bulge out even for a pair x1 = x0, so there OT pairs alone do not straighten the paths
 * (BENCHMARKS.md, shorter paths).
 * A run recorded before the field existed was independent.
 */
export const COUPLINGS = ['independent', 'ot'] as const;
/** The built-in 2-D datasets, by the name users type (engine/data/toys.ts holds their samplers). */
export const TOY_DATASETS = ['checkerboard', '8gaussians', 'moons', 'spirals', 'rings', 'pinwheel', 'swissroll', 'gaussian'] as const;
const TOY_DIMENSION = 2;

/** One field: a whole number in [min, max]. */
function wholeNumber(min: number, max: number) {
  const problem = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: problem }).int({ error: problem }).min(min, { error: problem }).max(max, { error: problem });
}

/** One field: a finite number in [min, max] (or (min, max] / [min, max) where open). */
function numberIn(min: number, max: number, open: { min?: boolean; max?: boolean } = {}) {
  const problem = `must lie in ${open.min ? '(' : '['}${min}, ${max}${open.max ? ')' : ']'}`;
  const base = z.number({ error: problem });
  const low = open.min ? base.gt(min, { error: problem }) : base.min(min, { error: problem });
  return max === Infinity ? low : open.max ? low.lt(max, { error: problem }) : low.max(max, { error: problem });
}

function positive() {
  const problem = 'must be a number greater than 0';
  return z.number({ error: problem }).gt(0, { error: problem });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

function datasetSpec() {
  const problem = `must name a toy (${TOY_DATASETS.join(', ')}), a Gaussian gaussian:MEAN[:COV], a .csv / .npy file, or images (mnist, a folder, a CIFAR-10 file)`;
  return z.string({ error: problem }).max(4096, { error: 'must be at most 4096 characters' }).refine((s) => s.trim() !== '', { error: problem });
}

/**
 * The MLP velocity net. A net is chosen by `kind`; a config recorded before nets had kinds means
 * 'mlp'. On images an MLP sees each image flattened to D = C H W values: allowed, as a baseline
 * and for tiny images (it learns, slowly; nothing in the flow needs the image's layout).
 */
export const mlpNetConfig = z.object({
  kind: z.literal('mlp', { error: "must be 'mlp'" }).default('mlp').describe('the velocity net: mlp, or unet (images only; their default)'),
  width: wholeNumber(1, 8192).default(256).describe('hidden units per layer'),
  depth: wholeNumber(1, 64).default(3).describe('number of hidden layers'),
  activation: oneOf(ACTIVATIONS).default('silu').describe('activation of the hidden layers'),
  /** Fourier features of t: t, sin(2 pi k t), cos(2 pi k t), k = 1..F. */
  timeFrequencies: wholeNumber(0, 64).default(4).describe('Fourier frequencies of t (features sin/cos(2 pi k t), k = 1..F)'),
});

/**
 * Default U-Net: 8 base channels, three levels (28, 14, 7 pixels for MNIST) with 8, 16 and 32
 * channels, one residual block a level, no attention: chosen with the image training defaults by
 * scoring samples (IMAGE_TRAIN_DEFAULTS has the measurements).
 */
export const UNET_BASE_CHANNELS = 8;
export const UNET_CHANNEL_MULTS = [1, 2, 4];

/** The image velocity net (engine/nets/unet.ts): a DDPM-style U-Net on [N, C, H, W]. */
export const unetNetConfig = z.object({
  kind: z.literal('unet', { error: "must be 'unet'" }).describe('the velocity net: mlp, or unet (images only; their default)'),
  baseChannels: wholeNumber(1, 512).default(UNET_BASE_CHANNELS).describe('channels of the first level'),
  channelMults: z
    .array(wholeNumber(1, 16), { error: 'must be a list of whole numbers, e.g. [1, 2, 2]' })
    .min(1, { error: 'must name at least one level' })
    .max(6, { error: 'must name at most 6 levels' })
    .default(() => [...UNET_CHANNEL_MULTS])
    .describe('channel multiplier per level (each level after the first halves the image)'),
  blocksPerLevel: wholeNumber(1, 8).default(1).describe('residual blocks per level'),
  attention: z.boolean({ error: 'must be true or false' }).default(false).describe('self-attention at the lowest resolution'),
  timeFrequencies: wholeNumber(0, 64).default(4).describe('Fourier frequencies of t (features sin/cos(2 pi k t), k = 1..F)'),
});

/** A net object without `kind` is an MLP (configs recorded before nets had kinds). */
export const netConfig = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { kind?: unknown }).kind === undefined ? { ...v, kind: 'mlp' } : v),
  z.discriminatedUnion('kind', [mlpNetConfig, unetNetConfig], {
    error: (iss) => (iss.input !== null && typeof iss.input === 'object' ? `must be one of ${NET_KINDS.join(', ')}` : `must be an object whose kind is one of ${NET_KINDS.join(', ')}`),
  }),
);

/**
 * The SDE samplers' constant diffusion eps: 0 is the ODE; past 10 the drift's stiffness
 * (up to 25 eps near the data end) needs thousands of steps.
 */
export const SDE_EPS = { min: 0, max: 10, default: 0.5 } as const;
/**
 * The eps of the sampler that draws an image run's samples when none is named (IMAGE_SAMPLER in
 * schemas.ts, which says how it was chosen); a run may record its own (`images.sdeEps`).
 */
export const IMAGE_SDE_EPS = 1.5;

/**
 * How a folder of pictures becomes a dataset: each image's shorter side is scaled to `size` and
 * the centre cropped, in gray or RGB. Other image sources carry their own size and channels.
 * `sdeEps`, for every image run: the eps its samples are drawn with unless the caller names a
 * sampler (a pretrained model ships the eps it was measured with: models/mnist.json).
 */
export const imagesConfig = z.object({
  size: wholeNumber(4, 512).default(32).describe('side of the square images a folder is scaled and cropped to (CIFAR-10 size)'),
  color: oneOf(IMAGE_COLORS).default('rgb').describe('a folder\'s images in gray (1 channel) or rgb (3)'),
  sdeEps: numberIn(SDE_EPS.min, SDE_EPS.max).default(IMAGE_SDE_EPS).describe('diffusion eps of the sampler (em, 100 steps) that draws the run\'s images when no sampler is named; 0 is the ODE'),
});

export const trainConfig = z.object({
  steps: wholeNumber(1, 100_000_000).default(20_000).describe('optimizer steps'),
  batch: wholeNumber(1, 1 << 20).default(1024).describe('batch size'),
  lr: positive().default(1e-3).describe('peak learning rate (warmup, then the schedule)'),
  optimizer: oneOf(OPTIMIZERS).default('adam').describe('optimizer'),
  weightDecay: numberIn(0, Infinity).default(0).describe('decoupled weight decay (adamw)'),
  beta1: numberIn(0, 1, { max: true }).default(0.9).describe("Adam's beta1"),
  beta2: numberIn(0, 1, { max: true }).default(0.98).describe("Adam's beta2"),
  eps: positive().default(1e-8).describe("Adam's epsilon"),
  warmupSteps: wholeNumber(0, 100_000_000).default(500).describe('linear warmup steps (at most a fifth of the steps is used)'),
  schedule: oneOf(SCHEDULES).default('cosine').describe('learning-rate schedule after warmup'),
  lrFloor: numberIn(0, 1).default(0.1).describe('the cosine ends at this fraction of lr (0 decays to zero)'),
  clipNorm: numberIn(0, Infinity).default(1).describe('global gradient-norm clip (0 disables)'),
  emaDecay: numberIn(0, 1, { max: true }).default(0.999).describe('EMA decay of the weights used for sampling and export'),
  timeSampling: oneOf(TIME_SAMPLINGS).default('late').describe('how t is drawn (late: t = 1 - (1 - u)^2, more weight near the data)'),
  coupling: oneOf(COUPLINGS).default('independent').describe('how a batch pairs base and data points (ot: minibatch optimal transport; with the linear interpolant, straighter paths)'),
  seed: wholeNumber(0, 0xffffffff).describe('random seed (recorded with the run)'),
});

/** The fields and their ranges, without the rules between fields (see `experimentConfig`). */
const configFields = z.object({
  name: z.string({ error: 'must be text' }).max(120, { error: 'must be at most 120 characters' }).optional().describe('a name for the run'),
  dataset: datasetSpec().describe('the target: a toy, gaussian:MEAN[:COV], a .csv / .npy file, or images (mnist, a folder, CIFAR-10, an .npy of images)'),
  base: datasetSpec().default('gaussian').describe('the base density: gaussian (standard normal) or a dataset spec (data to data)'),
  interpolant: oneOf(INTERPOLANTS).default(DEFAULT_INTERPOLANT).describe('the interpolant family'),
  net: netConfig.default(() => mlpNetConfig.parse({})),
  images: imagesConfig.prefault({}),
  // an absent train section is checked as an empty one, so the problem named is its seed
  train: trainConfig.prefault({} as z.input<typeof trainConfig>),
  heldOut: numberIn(0, 0.5, { min: true, max: true }).default(0.1).describe('fraction of the data held out for evaluation'),
  backend: oneOf(BACKENDS).default('auto').describe('execution backend (auto: the fastest by this machine\'s calibration; uncalibrated, the CPU to train and a GPU to solve when one works)'),
  threads: wholeNumber(0, 256).default(0).describe('ONNX Runtime threads (0: one per core)'),
});

/**
 * The dimension of a toy (2) or a gaussian:MEAN[:COV] spec; null for files, whose columns are
 * known only once read. Throws the spec's UserError when it is malformed.
 */
function specDimension(spec: string): number | null {
  if ((TOY_DATASETS as readonly string[]).includes(spec.trim().toLowerCase())) return TOY_DIMENSION;
  return isGaussianSpec(spec) ? gaussianSpecParameters(spec).d : null;
}

/** Rules between fields, and spec checks that need more than a type. */
function crossFieldRules(c: z.output<typeof configFields>, ctx: z.RefinementCtx): void {
  const dims: Partial<Record<'dataset' | 'base', number | null>> = {};
  for (const field of ['dataset', 'base'] as const) {
    if (field === 'base' && c.base === 'gaussian') continue;
    try {
      dims[field] = specDimension(c[field]);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: [field], message: `is not a valid Gaussian: ${(e as Error).message}` });
    }
  }
  if (c.interpolant === 'learned' && c.base !== 'gaussian') {
    ctx.addIssue({ code: 'custom', path: ['interpolant'], message: "'learned' needs the Gaussian base: its max-min draws base points from N(0, I)" });
  }
  if (c.interpolant === 'learned' && c.train.coupling === 'ot') {
    ctx.addIssue({ code: 'custom', path: ['train', 'coupling'], message: "must be independent with the learned interpolant (its max-min pairs points independently)" });
  }
  if (typeof dims.dataset === 'number' && typeof dims.base === 'number' && dims.dataset !== dims.base) {
    ctx.addIssue({
      code: 'custom',
      path: ['base'],
      message: `must have the dataset's dimension: '${c.base}' is ${dims.base}-D but '${c.dataset}' is ${dims.dataset}-D`,
    });
  }
  if (c.net.kind === 'unet') unetRules(c.net, c, typeof dims.dataset === 'number' ? dims.dataset : null, ctx);
}

/**
 * A U-Net needs images (the rules the schema can check without reading files: the service checks
 * the image size of folders, CIFAR and NPY files once they are read, with `unetLevelsProblem`).
 */
function unetRules(net: UnetNetConfig, c: z.output<typeof configFields>, pointDim: number | null, ctx: z.RefinementCtx): void {
  if (pointDim !== null) {
    ctx.addIssue({ code: 'custom', path: ['net', 'kind'], message: `'unet' needs an image dataset (mnist, a folder of pictures, a CIFAR-10 file or an .npy of images), but '${c.dataset}' is ${pointDim}-D points; use 'mlp'` });
    return;
  }
  if (c.base !== 'gaussian') ctx.addIssue({ code: 'custom', path: ['base'], message: "must be 'gaussian' for image datasets (image-to-image transport is not supported)" });
  if (c.dataset.trim().toLowerCase() === MNIST_DATASET) {
    const problem = unetLevelsProblem(net.channelMults.length, MNIST_SIDE, MNIST_SIDE);
    if (problem) ctx.addIssue({ code: 'custom', path: ['net', 'channelMults'], message: problem });
  }
}

/** Why `levels` U-Net levels cannot run on H x W images (each level after the first halves them), or null. */
export function unetLevelsProblem(levels: number, height: number, width: number): string | null {
  const factor = 2 ** (levels - 1);
  if (height % factor === 0 && width % factor === 0) return null;
  return `has ${levels} levels, which halve the image ${levels - 1} times, so its sides must be divisible by ${factor}; ${height} x ${width} is not: use fewer levels or another image size`;
}

export const experimentConfig = configFields.superRefine(crossFieldRules);

export type ExperimentConfig = z.output<typeof experimentConfig>;
/** A config as a door may send it: optional fields and those with defaults may be left out. */
export type ExperimentConfigInput = z.input<typeof experimentConfig>;
export type NetConfig = z.output<typeof netConfig>;
export type MlpNetConfig = z.output<typeof mlpNetConfig>;
export type UnetNetConfig = z.output<typeof unetNetConfig>;
export type NetKind = (typeof NET_KINDS)[number];
export type ImagesConfig = z.output<typeof imagesConfig>;
export type TrainConfig = z.output<typeof trainConfig>;
export type InterpolantName = (typeof INTERPOLANTS)[number];
export type Activation = (typeof ACTIVATIONS)[number];
export type BackendChoice = (typeof BACKENDS)[number];
export type TimeSampling = (typeof TIME_SAMPLINGS)[number];
export type CouplingName = (typeof COUPLINGS)[number];

const DEFAULTS = configFields.parse({ dataset: TOY_DATASETS[0], train: { seed: 0 } });
export const DEFAULT_NET: MlpNetConfig = mlpNetConfig.parse({});
export const DEFAULT_UNET: UnetNetConfig = unetNetConfig.parse({ kind: 'unet' });
export const DEFAULT_TRAIN: Omit<TrainConfig, 'seed'> = (({ seed: _seed, ...rest }) => rest)(DEFAULTS.train);

/**
 * Training defaults of image datasets (with the U-Net), sized to the 2-core CPU. Measured on MNIST
 * by the samples' score (1,000 samples, the shipped classifier: the share labelled with confidence
 * >= 0.9, real held-out digits 98.2%, and the classifier Frechet distance, real-vs-real floor
 * 101.5), seed 1, batch 16, EMA 0.998; trained at 1 thread side by side on the 2-core host, the
 * step counts sized by 60-step runs at 2 threads on the quiet host (base 8: 15.6 steps/s with two
 * levels, 12.9 with three; base 16 with three: 7.1; start-up included). Trigonometric
 * interpolant, 'late' t, sampled by rk4 50:
 *   base 8, levels [1, 2],    12,000 steps, lr 1e-3: 72.2%, Frechet 409
 *   base 8, levels [1, 2, 2], 10,000 steps, lr 1e-3: 78.3%, Frechet 267
 *   base 8, levels [1, 2, 2], 10,000 steps, lr 2e-3: 76.2%, Frechet 240
 *   base 8, levels [1, 2, 4], 10,000 steps, lr 1e-3: 79.2%, Frechet 228
 *   base 16, levels [1, 2, 2], 6,000 steps, lr 1e-3: 76.4%, Frechet 272
 * The third level (7x7) is worth its 20% per step; doubling the channels is not, at this budget.
 * Then the linear interpolant at uniform t, sampled by the image sampler (IMAGE_SAMPLER: em, eps 1,
 * 100 steps), the steps sized to the 15 minutes from the 1-thread rates side by side (levels
 * [1, 2, 4] take 17% longer a step than [1, 2, 2]; 10,000 steps of [1, 2, 2] took 9 min 4 s at
 * 18.6 steps/s on the quiet host):
 *   base 8, levels [1, 2, 2], 10,000 steps: 85.6%, Frechet 186 (78.6%, 221 by rk4 50)
 *   base 8, levels [1, 2, 2], 14,000 steps: 87.3%, Frechet 167
 *   base 8, levels [1, 2, 4], 12,000 steps: 88.9%, Frechet 151   <- the default
 * (the trigonometric runs by em eps 1, 100 steps: [1, 2, 2] 83.4%, 223; [1, 2, 4] 83.4%, 178).
 * The default from a clean clone on the quiet host: 12,000 steps in 13 min 13 s (15.3 steps/s);
 * by the image sampler at eps 1.5, 91.5% confident, Frechet 139 (another seed). The other fields
 * keep the 2-D defaults.
 */
export const IMAGE_TRAIN_DEFAULTS = { steps: 12_000, batch: 16, lr: 1e-3, warmupSteps: 200, emaDecay: 0.998, timeSampling: 'uniform' } as const;
/** The interpolant of image datasets: linear (rectified flow), measured against trig above. */
export const IMAGE_INTERPOLANT = 'linear';

/**
 * A config with every default filled in (not yet checked: see `parseConfig`). `images`: the
 * dataset is images (the caller knows by reading it): the U-Net and IMAGE_TRAIN_DEFAULTS.
 */
export function defaultConfig(dataset: string, seed: number, images = dataset.trim().toLowerCase() === MNIST_DATASET): ExperimentConfig {
  const c = structuredClone(DEFAULTS);
  if (images) return { ...c, dataset, interpolant: IMAGE_INTERPOLANT, net: structuredClone(DEFAULT_UNET), train: { ...c.train, ...IMAGE_TRAIN_DEFAULTS, seed } };
  return { ...c, dataset, train: { ...c.train, seed } };
}

/** A config whose velocity net is an MLP (every point dataset's default). */
export type MlpExperimentConfig = ExperimentConfig & { net: MlpNetConfig };

/** The defaults for a point dataset, typed with its MLP (scripts and tests set its fields). */
export function defaultMlpConfig(dataset: string, seed: number): MlpExperimentConfig {
  const c = defaultConfig(dataset, seed, false);
  if (c.net.kind !== 'mlp') throw new Error(`the defaults for '${dataset}' do not use an MLP`);
  return c as MlpExperimentConfig;
}

/** One problem with a config: the field's path (`train.lr`) and what is wrong with it. */
export interface ConfigIssue {
  path: string;
  /** The problem without the field's name: "must be a number greater than 0, got -1". */
  problem: string;
  /** The one line users read: `${path} ${problem}`. */
  message: string;
}

/** A config refused at one field; `field` is its path, which each door names its own way. */
export class ConfigError extends UserError {
  constructor(field: string, readonly problem: string) {
    super(`${field} ${problem}`, field);
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
}

/** Every problem with a config, each at its field; the parsed config (defaults filled) when none. */
export function checkConfig(input: unknown): { ok: true; config: ExperimentConfig } | { ok: false; issues: ConfigIssue[] } {
  const parsed = experimentConfig.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issues = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || 'config';
    const problem = issue.code === 'custom' ? issue.message : `${issue.message}, got ${shown(valueAt(input, issue.path))}`;
    return { path, problem, message: `${path} ${problem}` };
  });
  return { ok: false, issues };
}

/** The config with defaults filled in; a ConfigError naming the first bad field otherwise. */
export function parseConfig(input: unknown): ExperimentConfig {
  const r = checkConfig(input);
  if (r.ok) return r.config;
  throw new ConfigError(r.issues[0].path, r.issues[0].problem);
}

/**
 * A config as a run recorded it. Fields added since keep the meaning they had before they existed
 * (their defaults then, not now): no lrFloor decayed to 0, no timeSampling drew t uniformly.
 */
export function recordedConfig(stored: unknown): ExperimentConfig {
  const c = structuredClone(stored) as { train?: Record<string, unknown> };
  if (c && typeof c === 'object' && c.train && typeof c.train === 'object') {
    c.train.lrFloor ??= 0;
    c.train.timeSampling ??= 'uniform';
  }
  return parseConfig(c);
}

type Wrapper = { unwrap(): z.ZodType };

/** The objects a schema may be: itself, inside defaults and optionals, or each option of the net union. */
function objectsOf(schema: z.ZodType): z.ZodObject[] {
  if (schema instanceof z.ZodObject) return [schema];
  if (schema instanceof z.ZodPipe) return objectsOf(schema.out as z.ZodType);
  if (schema instanceof z.ZodDiscriminatedUnion) return (schema.options as z.ZodType[]).flatMap(objectsOf);
  return objectsOf((schema as unknown as Wrapper).unwrap());
}

function fieldSchema(path: string): z.ZodType {
  let schema: z.ZodType = configFields;
  for (const key of path.split('.')) {
    const found = objectsOf(schema)
      .map((o) => (o.shape as Record<string, z.ZodType>)[key])
      .find(Boolean);
    if (!found) throw new Error(`no config field '${path}'`);
    schema = found;
  }
  return schema;
}

/** The help text of a field (`train.lr`), as written in the schema. */
export function fieldHelp(path: string): string {
  return fieldSchema(path).description ?? '';
}

/** The values a field may take, for a field that is one of a list; else null. */
export function fieldChoices(path: string): readonly string[] | null {
  let schema = fieldSchema(path);
  while ('unwrap' in schema && !(schema instanceof z.ZodEnum)) schema = (schema as unknown as Wrapper).unwrap();
  return schema instanceof z.ZodEnum ? (schema.options as string[]) : null;
}

/** The default of a field (`train.lr`), or undefined where it has none (dataset, seed). */
export function fieldDefault(path: string): unknown {
  if (path === 'dataset' || path === 'train.seed') return undefined;
  return valueAt(DEFAULTS, path.split('.')) ?? (path.startsWith('net.') ? valueAt(DEFAULT_UNET, path.split('.').slice(1)) : undefined);
}
