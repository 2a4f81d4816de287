/** The data layer's public API: toys, Gaussians, file import and export, dataset specs, splits. */
export type { BBox, Dataset, EntropyEstimate, ImportedTable, LogDensityFn, Points, Sampler, Toy } from './types.js';
export { TOYS, TOY_NAMES, getToy, isToyName } from './toys.js';
export { CHECKERBOARD_AREA } from './toys/checkerboard.js';
export { gaussian, cholesky, type Gaussian } from './gaussian.js';
export { GAUSSIAN_SPEC_PREFIX, gaussianDataset, isGaussianSpec, parseGaussianSpec } from './gaussianSpec.js';
export { isotropicMixture, mixtureLogDensity, sampleMixture, type IsotropicMixture } from './gaussianMixture.js';
export { ENTROPY_MC_SAMPLES, entropyMonteCarlo, entropyOf } from './entropy.js';
export { parseCsv, readCsv, type CsvOptions } from './csvRead.js';
export { decodeNpy, readNpy, type NpyOptions } from './npyRead.js';
export { encodeNpy, encodeNpyArray, writeNpy, writeNpyArray } from './npyWrite.js';
export { formatFloat32, writeCsv } from './csvWrite.js';
export { columnStats, type ColumnStats } from './columnStats.js';
export { MAX_ROWS, MIN_ROWS } from './tableLimits.js';
export { DEFAULT_TOY_POINTS, dataBBox, resolveDataset, type ResolveOptions } from './resolveDataset.js';
export { DEFAULT_HELD_OUT, splitHeldOut } from './split.js';
export { drawRows } from './rowSelection.js';
export { dataStream } from './streams.js';
