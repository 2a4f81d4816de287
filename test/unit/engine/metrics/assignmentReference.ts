/** Independent references for testing assignment solvers: brute force and the textbook Hungarian method. */

/** Minimum of sum_i cost[i, sigma(i)] over all n! permutations (depth-first enumeration). */
export function bruteForceMinCost(cost: Float64Array, n: number): number {
  const used = new Uint8Array(n);
  let best = Infinity;
  const visit = (row: number, total: number): void => {
    if (row === n) {
      if (total < best) best = total;
      return;
    }
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      used[j] = 1;
      visit(row + 1, total + cost[row * n + j]);
      used[j] = 0;
    }
  };
  visit(0, 0);
  return best;
}

/**
 * The minimum-cost assignment by the O(n^3) Hungarian method with potentials (Kuhn-Munkres, in the
 * compact row-by-row form): a second, simpler implementation to compare against at sizes where
 * brute force is impossible.
 */
export function hungarianAssignment(cost: ArrayLike<number>, n: number): Int32Array {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j] = row (1-based) matched to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const partner = new Int32Array(n);
  for (let j = 1; j <= n; j++) partner[p[j] - 1] = j - 1;
  return partner;
}

/** The minimum total cost, by hungarianAssignment. */
export function hungarianMinCost(cost: Float64Array, n: number): number {
  const partner = hungarianAssignment(cost, n);
  let total = 0;
  for (let i = 0; i < n; i++) total += cost[i * n + partner[i]];
  return total;
}

/** True when `sigma` holds each of 0..n-1 exactly once. */
export function isPermutation(sigma: Int32Array, n: number): boolean {
  if (sigma.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const j of sigma) {
    if (j < 0 || j >= n || seen[j]) return false;
    seen[j] = 1;
  }
  return true;
}
