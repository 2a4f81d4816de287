/** Inputs of the chart components. */

/** Steps x and values y, the first `length` entries valid; may grow in place (read it when drawing). */
export interface SeriesData {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly length: number;
}

/** One loss curve. */
export interface Curve {
  label: string;
  series: SeriesData;
  /** CSS variable name (e.g. '--c1') or a colour. */
  color: string;
}

/** One point cloud of a scatter plot: n points of dimension d, row-major. */
export interface Layer {
  label: string;
  data: Float32Array;
  n: number;
  d: number;
  /** CSS variable name (e.g. '--sample') or a #rrggbb colour. */
  color: string;
}
