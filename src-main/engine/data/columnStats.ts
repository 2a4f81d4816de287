/**
 * Per-column summary for previews of an imported table, accumulated in float64:
 * min, max, mean = (1/n) sum x, std = sqrt((1/n) sum (x - mean)^2) (population, numpy's default).
 */
import { checkShape } from './arrayShape.js';

export interface ColumnStats {
  min: number;
  max: number;
  mean: number;
  std: number;
}

/** One ColumnStats per column of the row-major [n, d] array (Welford's update for the variance). */
export function columnStats(data: Float32Array | Float64Array, n: number, d: number): ColumnStats[] {
  checkShape(data, n, d);
  const stats: ColumnStats[] = [];
  for (let j = 0; j < d; j++) {
    let min = Infinity;
    let max = -Infinity;
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const x = data[i * d + j];
      if (x < min) min = x;
      if (x > max) max = x;
      const delta = x - mean;
      mean += delta / (i + 1);
      m2 += delta * (x - mean);
    }
    stats.push(n === 0 ? { min: NaN, max: NaN, mean: NaN, std: NaN } : { min, max, mean, std: Math.sqrt(m2 / n) });
  }
  return stats;
}
