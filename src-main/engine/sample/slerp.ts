/**
 * Spherical interpolation between two base draws a and b (for a row of samples that morphs from
 * one seed's image into another's):
 *
 *   x(s) = ((1 - s) |a| + s |b|) · [ sin((1 - s) θ) â + sin(s θ) b̂ ] / sin θ,
 *   â = a / |a|,  b̂ = b / |b|,  cos θ = <â, b̂>,  s in [0, 1].
 *
 * The angle between x(s) and a is s θ (linear in s) and |x(s)| runs linearly from |a| to |b|, so
 * every point stays on the shell where a Gaussian draw of dimension d lives (|z| ≈ sqrt(d)); the
 * straight line (1 - s) a + s b would cut through the ball (|x(1/2)| ≈ sqrt(d / 2) for two
 * independent draws), where the flow has seen no noise. x(0) = a and x(1) = b exactly.
 */

/** Below this sin θ the two directions are (anti)parallel: the plane of the arc is undefined. */
const MIN_SIN_ANGLE = 1e-7;

/** The angle θ in [0, π] between a and b (float64). */
export function angleBetween(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return Math.acos(Math.min(1, Math.max(-1, ab / Math.sqrt(aa * bb))));
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** x(s) for one s (formula above), computed in float64 and returned as float32. */
export function slerp(a: Float32Array, b: Float32Array, s: number): Float32Array {
  if (a.length !== b.length) throw new Error(`slerp: a has ${a.length} values, b ${b.length}`);
  if (!(s >= 0 && s <= 1)) throw new Error(`slerp: s must lie in [0, 1], got ${s}`);
  if (s === 0) return Float32Array.from(a);
  if (s === 1) return Float32Array.from(b);
  const na = norm(a), nb = norm(b);
  if (na === 0 || nb === 0) throw new Error('slerp: a base draw of norm 0 has no direction');
  const theta = angleBetween(a, b);
  const r = (1 - s) * na + s * nb;
  const out = new Float32Array(a.length);
  if (Math.sin(theta) < MIN_SIN_ANGLE) {
    // parallel: the arc is the point itself (θ ≈ 0); antiparallel draws (θ ≈ π) have no single arc
    if (theta > Math.PI / 2) throw new Error('slerp: a and b point in opposite directions; the arc between them is not unique');
    for (let i = 0; i < a.length; i++) out[i] = (r * a[i]) / na;
    return out;
  }
  const ca = (r * Math.sin((1 - s) * theta)) / (Math.sin(theta) * na);
  const cb = (r * Math.sin(s * theta)) / (Math.sin(theta) * nb);
  for (let i = 0; i < a.length; i++) out[i] = ca * a[i] + cb * b[i];
  return out;
}

/** k points x(i / (k - 1)), i = 0..k-1, row-major [k, d]: row 0 is a, row k - 1 is b. */
export function slerpRow(a: Float32Array, b: Float32Array, k: number): Float32Array {
  if (!Number.isInteger(k) || k < 2) throw new Error(`slerpRow: k must be a whole number of at least 2, got ${k}`);
  const d = a.length;
  const out = new Float32Array(k * d);
  for (let i = 0; i < k; i++) out.set(slerp(a, b, i === k - 1 ? 1 : i / (k - 1)), i * d);
  return out;
}
