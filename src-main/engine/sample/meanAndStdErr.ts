/**
 * Mean and standard error of the mean of independent estimates:
 *   mean = sum x_i / N,   stdErr = sqrt(sum (x_i - mean)^2 / (N - 1)) / sqrt(N)
 * (NaN standard error for a single value, where it is undefined).
 */
export function meanAndStdErr(values: ArrayLike<number>): { mean: number; stdErr: number } {
  const count = values.length;
  if (count === 0) throw new Error('meanAndStdErr: no values');
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i];
  const mean = sum / count;
  if (count === 1) return { mean, stdErr: Number.NaN };
  let ss = 0;
  for (let i = 0; i < count; i++) ss += (values[i] - mean) ** 2;
  return { mean, stdErr: Math.sqrt(ss / (count - 1) / count) };
}
