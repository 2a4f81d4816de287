import { UserError } from '../../errors.js';
import { checkSamples, type PointCloud, type Samples } from './pointCloud.js';

/** A sample-based distance between x [nx, d] and y [ny, d] (energyDistance, slicedW2, ...). */
export type SampleDistance = (x: Samples, nx: number, y: Samples, ny: number, d: number) => number;

export interface CalibratedDistance {
  /** metric(model, data1). */
  value: number;
  /** metric(data2', data1), data2' = the first model.n points of data2: what a perfect model would score. */
  floor: number;
}

/**
 * A distance and its calibration floor:
 *
 *   value = metric(model samples, data1),   floor = metric(data2[:n], data1),  n = model sample size
 *
 * data1 and data2 are independent samples of the data distribution (e.g. held-out and training
 * points). Finite samples keep every sample-based distance above its population value, and floor
 * is the level a model that samples the data distribution exactly would reach with the same sizes:
 * judge `value` against `floor`, not against 0. The first n points of data2 are a sample of size n
 * because its points are i.i.d. Metrics that need options are passed as closures, e.g.
 * `(x, nx, y, ny, d) => mmd(x, nx, y, ny, d, { bandwidths }).mmd2` (fixed bandwidths so both
 * values use one kernel).
 */
export function withFloor(
  metric: SampleDistance,
  model: PointCloud,
  data1: PointCloud,
  data2: PointCloud,
): CalibratedDistance {
  checkSamples('model samples', model.points, model.n, model.d);
  checkSamples('data sample 1', data1.points, data1.n, data1.d);
  checkSamples('data sample 2', data2.points, data2.n, data2.d);
  if (data1.d !== model.d || data2.d !== model.d) {
    throw new UserError(
      `model samples have dimension ${model.d} but the data samples have ${data1.d} and ${data2.d}; compare like with like`,
    );
  }
  if (data2.n < model.n) {
    throw new UserError(
      `the calibration sample has ${data2.n} points but the model sample ${model.n}; pass at least as many data points`,
    );
  }
  const d = model.d;
  const value = metric(model.points, model.n, data1.points, data1.n, d);
  const reference = data2.points.subarray(0, model.n * d);
  const floor = metric(reference, model.n, data1.points, data1.n, d);
  return { value, floor };
}
