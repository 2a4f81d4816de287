/**
 * The shapes the data layer hands to the rest of the engine. Every point set is row-major
 * [n, d]: point i occupies entries [i*d, (i+1)*d).
 */

/** Points to evaluate: row-major [n, d], float32 (datasets, samples) or float64 (grids, tests). */
export type Points = Float32Array | Float64Array;

/** log rho(x_i) in nats for each of the n points; -Infinity where the density is zero. */
export type LogDensityFn = (points: Points, n: number) => Float64Array;

/** A plotting window for 2-D data: [xMin, xMax] x [yMin, yMax]. */
export interface BBox {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** A distribution we can draw from with a seed: the toys and the Gaussians. */
export interface Sampler {
  /** Dimension of each point. */
  readonly d: number;
  /** n points, row-major [n, d], a pure function of (n, seed). */
  sample(n: number, seed: number): Float32Array;
  /** Exact log-density, where a closed form exists. */
  readonly logDensity?: LogDensityFn;
}

/** A 2-D toy distribution with what the wizard and plots show about it. */
export interface Toy extends Sampler {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly d: 2;
  readonly bbox: BBox;
  /** Exact differential entropy in nats, where a closed form exists (checkerboard: ln 32). */
  readonly entropy?: number;
}

/** Differential entropy in nats: exact, or a Monte Carlo estimate with its standard error. */
export interface EntropyEstimate {
  value: number;
  stdErr?: number;
  exact: boolean;
}

/** A dataset ready for training and evaluation. */
export interface Dataset {
  /** Toy name, 'gaussian', a gaussian:MEAN[:COV] spec, or the file's base name. */
  name: string;
  data: Float32Array;
  n: number;
  d: number;
  /** Column names, length d (toys: x, y). */
  columns: string[];
  /** Where it came from: 'toy:<name>', the gaussian:MEAN[:COV] spec, or the file path. */
  source: string;
  logDensity?: LogDensityFn;
  entropy?: EntropyEstimate;
  bbox?: BBox;
}

/** A numeric table read from a user's file. */
export interface ImportedTable {
  data: Float32Array;
  n: number;
  d: number;
  columns: string[];
  /** The file path (or a label for in-memory input). */
  source: string;
  /** Text columns that were left out (every data cell non-numeric), by header name. */
  droppedColumns?: string[];
}
