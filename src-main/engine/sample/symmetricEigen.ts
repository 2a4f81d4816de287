/**
 * Eigendecomposition of a small dense symmetric matrix by cyclic Jacobi rotations:
 * A = Q diag(values) Q^T with Q orthogonal, its columns the eigenvectors (Q[i*d + k] is component i
 * of eigenvector k). Accurate to a few ulps of the largest eigenvalue; cost O(d^3) per sweep, a
 * handful of sweeps. Meant for the d <= ~100 matrices of closed-form checks, not for big data.
 */

/** Sweeps after which a symmetric matrix that has not converged is reported: Jacobi converges quadratically in ~10. */
const MAX_SWEEPS = 100;
/** Above this |theta|, theta^2 would overflow; tan(phi) = 1 / (2 theta) is then exact to rounding. */
const THETA_OVERFLOW = 1e150;
/** Converged when the off-diagonal mass is below this fraction of the total (squared Frobenius norms). */
const OFF_DIAGONAL_TOLERANCE = 1e-32;

export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

export function symmetricEigen(matrix: ArrayLike<number>, d: number): SymmetricEigen {
  if (matrix.length !== d * d) throw new Error(`symmetricEigen: expected ${d}x${d} = ${d * d} values, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) q[i * d + i] = 1;
  let frob = 0;
  for (let i = 0; i < a.length; i++) frob += a[i] * a[i];

  for (let sweep = 0; ; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let r = p + 1; r < d; r++) off += a[p * d + r] * a[p * d + r];
    if (off <= OFF_DIAGONAL_TOLERANCE * frob) break;
    if (sweep >= MAX_SWEEPS) throw new Error(`symmetricEigen: no convergence after ${MAX_SWEEPS} sweeps (is the matrix finite?)`);
    for (let p = 0; p < d; p++) {
      for (let r = p + 1; r < d; r++) {
        const apr = a[p * d + r];
        if (apr === 0) continue;
        // Rotation angle that zeroes a_pr: tan(phi) = t, the smaller root of t^2 + 2 theta t - 1 = 0.
        const theta = (a[r * d + r] - a[p * d + p]) / (2 * apr);
        const t =
          Math.abs(theta) > THETA_OVERFLOW
            ? 1 / (2 * theta)
            : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akr = a[k * d + r];
          a[k * d + p] = c * akp - s * akr;
          a[k * d + r] = s * akp + c * akr;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const ark = a[r * d + k];
          a[p * d + k] = c * apk - s * ark;
          a[r * d + k] = s * apk + c * ark;
        }
        for (let k = 0; k < d; k++) {
          const qkp = q[k * d + p];
          const qkr = q[k * d + r];
          q[k * d + p] = c * qkp - s * qkr;
          q[k * d + r] = s * qkp + c * qkr;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: q };
}

/** Q diag(g) Q^T as a dense row-major d x d matrix: the spectral function g of the decomposed matrix. */
export function spectralMatrix(eigen: SymmetricEigen, g: ArrayLike<number>): Float64Array {
  const d = eigen.values.length;
  const q = eigen.vectors;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let acc = 0;
      for (let k = 0; k < d; k++) acc += q[i * d + k] * g[k] * q[j * d + k];
      out[i * d + j] = acc;
      out[j * d + i] = acc;
    }
  }
  return out;
}
