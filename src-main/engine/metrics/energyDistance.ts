import { asFloat64, checkSamples, squaredDistance, type Samples } from './pointCloud.js';

/**
 * Energy distance between two samples (Szekely & Rizzo), in its V-statistic form:
 *
 *   E(x, y) = 2/(nx ny) sum_{i,j} |x_i - y_j|  -  1/nx^2 sum_{i,j} |x_i - x_j|  -  1/ny^2 sum_{i,j} |y_i - y_j|
 *
 * the sample version of 2 E|X - Y| - E|X - X'| - E|Y - Y'| (|.| Euclidean). The V-statistic is the
 * energy distance between the two empirical distributions themselves, so it is always >= 0 and
 * exactly 0 for identical samples; for two samples of one distribution its mean is O(1/n) (the
 * zero diagonal terms), so it shrinks as n grows. The value is not square-rooted (it is on the
 * scale of a distance, like E|X - Y|). Cost O((nx + ny)^2 d) time, no allocation beyond a Float64 copy
 * of Float32 inputs.
 */
export function energyDistance(x: Samples, nx: number, y: Samples, ny: number, d: number): number {
  checkSamples('x', x, nx, d);
  checkSamples('y', y, ny, d);
  const a = asFloat64(x);
  const b = asFloat64(y);
  const cross = sumCrossDistances(a, nx, b, ny, d) / (nx * ny);
  const withinX = (2 * sumDistancesBelowDiagonal(a, nx, d)) / (nx * nx);
  const withinY = (2 * sumDistancesBelowDiagonal(b, ny, d)) / (ny * ny);
  return 2 * cross - withinX - withinY;
}

/** sum_{i,j} |a_i - b_j| over all na x nb pairs. */
function sumCrossDistances(a: Float64Array, na: number, b: Float64Array, nb: number, d: number): number {
  let total = 0;
  for (let i = 0; i < na; i++) {
    let row = 0;
    for (let j = 0; j < nb; j++) row += Math.sqrt(squaredDistance(a, i, b, j, d));
    total += row;
  }
  return total;
}

/** sum_{i<j} |a_i - a_j|. */
function sumDistancesBelowDiagonal(a: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let i = 1; i < n; i++) {
    let row = 0;
    for (let j = 0; j < i; j++) row += Math.sqrt(squaredDistance(a, i, a, j, d));
    total += row;
  }
  return total;
}
