/**
 * Prepares the jobs with which a GPU machine trains candidates for the pretrained MNIST model
 * (bench/peers/unet_pretrain_torch.py, run by bench/peers/gpu_pretrain.sh): per candidate a folder
 * with the FlowLab config (config.json), the PyTorch peer's recipe (recipe.json), FlowLab's initial
 * parameters of the config's seed (params0.f32) and, with --check NAME, the files with which the
 * peer proves on the GPU that it computes FlowLab's losses, update and samples (check/); and the
 * training split of the seed as uint8 NPY (train.npy), the same digits FlowLab trains on.
 *
 * The step count is left to the peer (--steps auto fits the cosine schedule into its time budget),
 * so each recipe's steps are a placeholder that only has to keep the configured warmup whole.
 *
 *   node --import tsx scripts/gpuPretrain.ts OUT_DIR [--check NAME] [--only NAME]
 * then, on the GPU machine (OUT_DIR carried as .pre): bench/peers/gpu_pretrain.sh [BUDGET_SECONDS]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfig, parseConfig, type ExperimentConfig, type TrainConfig, type UnetNetConfig } from '../src-main/api/config.js';
import type { ImageDataset } from '../src-main/engine/data/images/index.js';
import { writeNpyArray } from '../src-main/engine/data/npyWrite.js';
import { initialImageState } from '../src-main/engine/train/imageTrainSession.js';
import { loadImageRunData } from '../src-main/service/imageRunData.js';
import { mnistNet, peerRecipe, writePeerCheck } from '../bench/flowlab/unetRecipe.js';

/** Candidates: the CPU-trained model's net at a larger batch, and wider nets. All seed 5 (one training split). */
const CANDIDATES: Record<string, { net: Partial<UnetNetConfig>; train: Partial<TrainConfig> }> = {
  b16: { net: { baseChannels: 16, channelMults: [1, 2, 4] }, train: { batch: 128, lr: 1e-3 } },
  b16a2: { net: { baseChannels: 16, channelMults: [1, 2, 4], blocksPerLevel: 2, attention: true }, train: { batch: 128, lr: 1e-3 } },
  b32: { net: { baseChannels: 32, channelMults: [1, 2, 4] }, train: { batch: 128, lr: 5e-4 } },
  b32a2: { net: { baseChannels: 32, channelMults: [1, 2, 2], blocksPerLevel: 2, attention: true }, train: { batch: 128, lr: 5e-4 } },
  // the first call's best (b32) with twice the batch, trained alone on the GPU
  b32b256: { net: { baseChannels: 32, channelMults: [1, 2, 4] }, train: { batch: 256, lr: 5e-4, warmupSteps: 300 } },
};
const SEED = 5;
/** Placeholder steps (the peer fixes the count); large enough that the warmup is never capped. */
const PLACEHOLDER_STEPS = 1_000_000;

function candidateConfig(name: string): ExperimentConfig {
  const c = defaultConfig('mnist', SEED);
  const k = CANDIDATES[name];
  return parseConfig({
    ...c,
    name: `mnist ${name} (GPU candidate)`,
    net: { ...c.net, ...k.net },
    images: { ...c.images, sdeEps: 3 },
    train: { ...c.train, steps: PLACEHOLDER_STEPS, warmupSteps: 500, emaDecay: 0.9995, seed: SEED, ...k.train },
    backend: 'auto',
    threads: 2,
  });
}

/**
 * One job folder for the peer: config.json, recipe.json, params0.f32 (FlowLab's initial parameters
 * of the config's seed) and, with `check`, the agreement files (unetRecipe.ts writePeerCheck).
 */
export async function writePeerJob(dir: string, c: ExperimentConfig, train: ImageDataset, o: { check?: boolean } = {}): Promise<number> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(c, null, 2));
  writeFileSync(join(dir, 'recipe.json'), JSON.stringify(peerRecipe(c), null, 2));
  const state = initialImageState(mnistNet(c), c.train.seed);
  writeFileSync(join(dir, 'params0.f32'), state.params);
  if (o.check) await writePeerCheck(join(dir, 'check'), { ...c, backend: 'cpu' }, train);
  return state.params.length;
}

/** The training split of `c` (its seed's) as uint8 NPY [n, C, H, W]. */
export async function writeTrainSplit(path: string, c: ExperimentConfig): Promise<ImageDataset> {
  const { train } = await loadImageRunData(c);
  writeNpyArray(path, train.pixels, [train.n, train.c, train.h, train.w]);
  return train;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { check: { type: 'string', multiple: true }, only: { type: 'string', multiple: true } } });
  const out = positionals[0];
  if (!out) throw new Error('usage: scripts/gpuPretrain.ts OUT_DIR [--check NAME] [--only NAME]');
  for (const name of [...(values.check ?? []), ...(values.only ?? [])]) {
    if (!CANDIDATES[name]) throw new Error(`--check and --only must name a candidate (${Object.keys(CANDIDATES).join(', ')}), got '${name}'`);
  }
  mkdirSync(out, { recursive: true });
  const names = values.only ?? Object.keys(CANDIDATES);
  const train = await writeTrainSplit(join(out, 'train.npy'), candidateConfig(names[0]));
  for (const name of names) {
    const count = await writePeerJob(join(out, name), candidateConfig(name), train, { check: values.check?.includes(name) });
    process.stderr.write(`${name}: ${count} parameters\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
