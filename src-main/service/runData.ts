/**
 * The data a run trains and evaluates on, rebuilt deterministically from its config: the target
 * dataset split into train / held-out rows, and the base (a standard Gaussian, or a second
 * dataset for data-to-data transport).
 */
import { UserError } from '../errors.js';
import type { ExperimentConfig } from '../api/config.js';
import { resolveDataset, splitHeldOut, type Dataset } from '../engine/data/index.js';

/** The base dataset is drawn with a different seed than the target, so toy-to-toy pairs are independent. */
const BASE_SEED_OFFSET = 0x5bd1e995;

export interface RunData {
  d: number;
  train: Dataset;
  test: Dataset;
  /** Null: standard Gaussian base. */
  base: Dataset | null;
  baseTest: Dataset | null;
}

export function loadRunData(config: ExperimentConfig): RunData {
  const seed = config.train.seed;
  const full = resolveDataset(config.dataset, { seed });
  const { train, test } = splitHeldOut(full, config.heldOut, seed);
  let base: Dataset | null = null;
  let baseTest: Dataset | null = null;
  if (config.base !== 'gaussian') {
    const b = resolveDataset(config.base, { seed: (seed + BASE_SEED_OFFSET) >>> 0 });
    if (b.d !== full.d) {
      throw new UserError(`base '${config.base}' has ${b.d} columns but dataset '${config.dataset}' has ${full.d}; both ends of the transport need the same dimension`);
    }
    const split = splitHeldOut(b, config.heldOut, seed);
    base = split.train;
    baseTest = split.test;
  }
  if (config.train.batch > train.n) {
    throw new UserError(
      `train.batch ${config.train.batch} is larger than the ${train.n} training rows of '${config.dataset}'; use ${Math.max(1, Math.min(train.n, 256))} or less`,
      'train.batch',
    );
  }
  return { d: full.d, train, test, base, baseTest };
}
