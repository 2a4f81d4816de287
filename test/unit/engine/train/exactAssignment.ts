// The reference the entropic pairing is measured against: the exact minimum-cost assignment
// (Hungarian method, test/unit/engine/metrics/assignmentReference.ts), partner[i] = row i's column.
export { hungarianAssignment as exactAssignment } from '../metrics/assignmentReference.js';

/** Squared-distance cost [n, n] between rows of a and b ([n, d] each). */
export function squaredDistances(a: ArrayLike<number>, b: ArrayLike<number>, n: number, d: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (a[i * d + k] - b[j * d + k]) ** 2;
      c[i * n + j] = s;
    }
  }
  return c;
}
