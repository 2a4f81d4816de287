import { UserError } from '../../errors.js';

export interface MeanStdErr {
  mean: number;
  /** s / sqrt(n) with s the sample standard deviation (divisor n - 1); NaN when n = 1. */
  stdErr: number;
}

/**
 * Mean and standard error of the mean of independent values (e.g. a metric over seeds):
 *
 *   mean = (1/n) sum v_i,   stdErr = sqrt( sum (v_i - mean)^2 / (n (n - 1)) )
 *
 * computed with two passes for accuracy. One value has no spread estimate: stdErr is NaN.
 */
export function meanStdErr(values: ArrayLike<number>): MeanStdErr {
  const n = values.length;
  if (n === 0) throw new UserError('mean and standard error of no values: pass at least one value');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n === 1) return { mean, stdErr: NaN };
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const diff = values[i] - mean;
    squares += diff * diff;
  }
  return { mean, stdErr: Math.sqrt(squares / (n * (n - 1))) };
}
