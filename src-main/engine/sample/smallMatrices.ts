/**
 * Batches of small d x d matrices, row-major [n, d, d] (the step Jacobians of stepDensity.ts):
 * identities, products, and LU with partial pivoting for solves and log |det|.
 */
/** n copies of the d x d identity, [n, d, d]. */
export function identities(n: number, d: number): Float64Array {
  const out = new Float64Array(n * d * d);
  for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) out[p * d * d + j * d + j] = 1;
  return out;
}

/** A_p B_p for every point p, each d x d row-major. */
export function batchedMatMul(a: ArrayLike<number>, b: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d * d);
  for (let p = 0; p < n; p++) {
    const o = p * d * d;
    for (let i = 0; i < d; i++) {
      for (let k = 0; k < d; k++) {
        const aik = a[o + i * d + k];
        if (aik === 0) continue;
        for (let j = 0; j < d; j++) out[o + i * d + j] += aik * b[o + k * d + j];
      }
    }
  }
  return out;
}

/** LU with partial pivoting of a d x d matrix (a copy): the factors in place, the row order and the pivots' signs. */
function lu(m: ArrayLike<number>, d: number): { a: Float64Array; perm: number[]; singular: boolean } {
  const a = Float64Array.from(m as ArrayLike<number>);
  const perm = Array.from({ length: d }, (_, i) => i);
  let singular = false;
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]) > Math.abs(a[piv * d + c])) piv = r;
    if (piv !== c) {
      for (let j = 0; j < d; j++) [a[c * d + j], a[piv * d + j]] = [a[piv * d + j], a[c * d + j]];
      [perm[c], perm[piv]] = [perm[piv], perm[c]];
    }
    const pivot = a[c * d + c];
    if (pivot === 0) {
      singular = true;
      continue;
    }
    for (let r = c + 1; r < d; r++) {
      const l = (a[r * d + c] /= pivot);
      for (let j = c + 1; j < d; j++) a[r * d + j] -= l * a[c * d + j];
    }
  }
  return { a, perm, singular };
}

/** log |det M| of a d x d matrix (-Infinity when singular). */
export function logAbsDeterminant(m: ArrayLike<number>, d: number): number {
  const { a, singular } = lu(m, d);
  if (singular) return -Infinity;
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(Math.abs(a[i * d + i]));
  return s;
}

/** The solution of M x = b (null when M is singular). */
export function luSolve(m: ArrayLike<number>, d: number, b: ArrayLike<number>): Float64Array | null {
  const { a, perm, singular } = lu(m, d);
  if (singular) return null;
  const x = Float64Array.from(perm, (p) => b[p]);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) x[i] -= a[i * d + j] * x[j];
  for (let i = d - 1; i >= 0; i--) {
    for (let j = i + 1; j < d; j++) x[i] -= a[i * d + j] * x[j];
    x[i] /= a[i * d + i];
  }
  return x;
}
