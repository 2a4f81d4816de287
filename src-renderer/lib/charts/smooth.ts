/**
 * Exponential moving average with bias correction, the usual smoothing of training curves:
 *   m_i = w m_{i-1} + (1 - w) y_i,   s_i = m_i / (1 - w^k)   (k = finite values seen so far)
 * so the first points are not pulled toward 0. Non-finite values are skipped (their output is
 * NaN, a gap in the chart) and do not disturb the average. w = 0 returns the series itself.
 */
export function emaSmooth(y: ArrayLike<number>, length: number, weight: number): Float64Array {
  if (!(weight >= 0 && weight < 1)) throw new Error(`smoothing weight must lie in [0, 1), got ${weight}`);
  const out = new Float64Array(length);
  let m = 0;
  let correction = 1;
  for (let i = 0; i < length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) {
      out[i] = Number.NaN;
      continue;
    }
    m = weight * m + (1 - weight) * v;
    correction *= weight;
    out[i] = m / (1 - correction);
  }
  return out;
}

/** Whether a log-scaled axis can show the series: every finite value must be positive. */
export function allPositive(y: ArrayLike<number>, length: number): boolean {
  let any = false;
  for (let i = 0; i < length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) continue;
    if (v <= 0) return false;
    any = true;
  }
  return any;
}
