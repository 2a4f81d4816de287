/**
 * Turns a dataset spec (what `--dataset` or the wizard gives) into points:
 *   - a toy name (checkerboard, 8gaussians, ..., 'gaussian' = standard normal in 2-D):
 *     n points (default DEFAULT_TOY_POINTS) drawn from the seed, with the exact density and entropy;
 *   - gaussian:MEAN[:COV]: N(MEAN, COV) in any dimension, with its exact density and entropy
 *     (gaussianSpec.ts), n points drawn from the seed like a toy's;
 *   - a path ending in .csv or .npy: the file's numeric columns, optionally a random subset of n rows.
 */
import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { UserError } from '../../errors.js';
import { Rng } from '../random.js';
import { readCsv } from './csvRead.js';
import { gaussianDataset, isGaussianSpec } from './gaussianSpec.js';
import { ENTROPY_MC_SAMPLES, entropyOf } from './entropy.js';
import { readNpy } from './npyRead.js';
import { chooseRows, rowsWhere } from './rowSelection.js';
import { ENTROPY_SEED_OFFSET, SUBSAMPLE_STREAM } from './streams.js';
import { MAX_ROWS, MIN_ROWS } from './tableLimits.js';
import { TOY_NAMES, getToy, isToyName } from './toys.js';
import type { BBox, Dataset, ImportedTable } from './types.js';

/** Training points drawn from a toy: plenty for a 2-D flow, 800 KB as float32. */
export const DEFAULT_TOY_POINTS = 100_000;
/** Margin added on each side of a file's data range for its plot window (fraction of the range). */
const BBOX_MARGIN = 0.05;

export interface ResolveOptions {
  seed: number;
  /** Toys: points to draw. Files: keep at most this many rows (a seeded random subset). */
  n?: number;
}

export function resolveDataset(spec: string, opts: ResolveOptions): Dataset {
  const name = spec.trim();
  if (opts.n !== undefined && !(Number.isInteger(opts.n) && opts.n >= MIN_ROWS && opts.n <= MAX_ROWS)) {
    throw new UserError(`dataset size n must be a whole number from ${MIN_ROWS} to ${MAX_ROWS}, got ${opts.n}`);
  }
  if (isToyName(name.toLowerCase())) return toyDataset(name.toLowerCase(), opts);
  if (isGaussianSpec(name)) return gaussianDataset(name, opts.n ?? DEFAULT_TOY_POINTS, opts.seed);
  const ext = extname(name).toLowerCase();
  if (ext !== '.csv' && ext !== '.npy') {
    throw new UserError(
      `unknown dataset '${spec}'; give a toy name (${TOY_NAMES.join(', ')}), a Gaussian as gaussian:MEAN[:COV], or the path of a .csv or .npy file`,
    );
  }
  if (!existsSync(name)) throw new UserError(`${name}: file not found; check the path`);
  const table = ext === '.csv' ? readCsv(name) : readNpy(name);
  return fileDataset(subsample(table, opts), basename(name));
}

function toyDataset(name: string, opts: ResolveOptions): Dataset {
  const toy = getToy(name);
  const n = opts.n ?? DEFAULT_TOY_POINTS;
  const dataset: Dataset = {
    name: toy.name,
    data: toy.sample(n, opts.seed),
    n,
    d: 2,
    columns: ['x', 'y'],
    source: `toy:${toy.name}`,
    bbox: toy.bbox,
  };
  if (toy.logDensity) dataset.logDensity = toy.logDensity;
  const entropy = entropyOf(toy, (opts.seed + ENTROPY_SEED_OFFSET) >>> 0, ENTROPY_MC_SAMPLES);
  if (entropy) dataset.entropy = entropy;
  return dataset;
}

function subsample(table: ImportedTable, opts: ResolveOptions): ImportedTable {
  if (opts.n === undefined || opts.n >= table.n) return table;
  const keep = chooseRows(table.n, opts.n, new Rng(opts.seed, SUBSAMPLE_STREAM));
  return { ...table, data: rowsWhere(table.data, table.d, keep, 1), n: opts.n };
}

function fileDataset(table: ImportedTable, name: string): Dataset {
  const dataset: Dataset = { name, data: table.data, n: table.n, d: table.d, columns: table.columns, source: table.source };
  if (table.d >= 2) dataset.bbox = dataBBox(table.data, table.n, table.d);
  return dataset;
}

/** Range of the first two columns, widened by BBOX_MARGIN on each side (and never empty). */
export function dataBBox(data: Float32Array, n: number, d: number): BBox {
  const range = (c: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + c];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const pad = hi > lo ? BBOX_MARGIN * (hi - lo) : 1;
    return [lo - pad, hi + pad];
  };
  const [xMin, xMax] = range(0);
  const [yMin, yMax] = range(1);
  return { xMin, xMax, yMin, yMax };
}
