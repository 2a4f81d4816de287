import { UserError } from '../../errors.js';
import { auctionWarmStart } from './auctionWarmStart.js';

/**
 * Linear assignment problem: the permutation sigma minimising sum_i cost[i, sigma(i)] over a
 * square row-major n x n cost matrix. Returns sigma as assignment[i] = column of row i.
 *
 * Jonker-Volgenant (1987) shortest augmenting paths: column prices v_j, and every assigned row
 * at a minimum of its reduced costs c_ij - v_j (dual feasibility with complementary slackness).
 * Each free row is assigned along a shortest alternating path in reduced costs to an unassigned
 * column (Dijkstra over columns, the Hungarian method's step); then the prices of the columns the
 * search finished move by their distance, so reduced costs stay >= 0 and the final assignment is
 * optimal. Warm start: column reduction v_j = min_i c_ij, then an epsilon-scaling auction
 * (auctionWarmStart) that brings the prices close to the optimal duals; only the rows it leaves
 * exactly at their row minimum stay assigned, and the rest take short augmenting paths. The
 * warm start only changes speed, never the result. O(n^3) time in the worst case (geometric
 * instances with n = 2000 take about a second), O(n) memory besides the costs. Costs must be finite.
 */
export function solveAssignment(cost: Float64Array, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new UserError(`assignment size must be a non-negative integer, got ${n}`);
  if (cost.length !== n * n) {
    throw new UserError(`assignment cost has ${cost.length} entries but n x n = ${n * n}; pass a row-major square matrix`);
  }
  for (let e = 0; e < cost.length; e++) {
    if (!Number.isFinite(cost[e])) {
      throw new UserError(`assignment cost [${Math.floor(e / n)}, ${e % n}] is ${cost[e]}; all costs must be finite`);
    }
  }
  const rowsol = new Int32Array(n).fill(-1);
  if (n <= 1) return rowsol.fill(0);
  const colsol = new Int32Array(n).fill(-1);
  const v = columnMinima(cost, n);
  auctionWarmStart(cost, n, v, rowsol, colsol);
  const free = new Int32Array(n);
  const numFree = releaseInexactRows(cost, n, v, rowsol, colsol, free);
  const paths = new ShortestPaths(n);
  for (let f = 0; f < numFree; f++) paths.augment(cost, n, v, rowsol, colsol, free[f]);
  return rowsol;
}

/** v_j = min_i c_ij: the column reduction, a first set of prices. */
function columnMinima(c: Float64Array, n: number): Float64Array {
  const v = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) if (c[row + j] < v[j]) v[j] = c[row + j];
  }
  return v;
}

/**
 * Keeps an assigned row only where its column is exactly a minimum of its reduced costs
 * c_ij - v_j (what the shortest-path phase needs); frees the others and lists every free row in
 * `free`. Returns how many there are.
 */
function releaseInexactRows(
  c: Float64Array,
  n: number,
  v: Float64Array,
  rowsol: Int32Array,
  colsol: Int32Array,
  free: Int32Array,
): number {
  let numFree = 0;
  for (let i = 0; i < n; i++) {
    const j = rowsol[i];
    if (j >= 0) {
      const row = i * n;
      const assigned = c[row + j] - v[j];
      let k = 0;
      while (k < n && c[row + k] - v[k] >= assigned) k++;
      if (k === n) continue;
      colsol[j] = -1;
      rowsol[i] = -1;
    }
    free[numFree++] = i;
  }
  return numFree;
}

/** Work arrays of the shortest augmenting path search, allocated once per solve. */
class ShortestPaths {
  private readonly dist: Float64Array;
  private readonly pred: Int32Array;
  /** Columns partitioned as [ready | to scan (dist = min) | todo]. */
  private readonly collist: Int32Array;

  constructor(n: number) {
    this.dist = new Float64Array(n);
    this.pred = new Int32Array(n);
    this.collist = new Int32Array(n);
  }

  /**
   * Assigns `freeRow` along a shortest alternating path (Dijkstra in reduced costs) to the nearest
   * unassigned column, then updates prices: v_j += dist_j - min for every column made ready.
   */
  augment(c: Float64Array, n: number, v: Float64Array, rowsol: Int32Array, colsol: Int32Array, freeRow: number): void {
    const { dist, pred, collist } = this;
    const freeBase = freeRow * n;
    for (let j = 0; j < n; j++) {
      dist[j] = c[freeBase + j] - v[j];
      pred[j] = freeRow;
      collist[j] = j;
    }
    let low = 0;
    let up = 0;
    let last = -1;
    let min = 0;
    let endOfPath = -1;
    while (endOfPath < 0) {
      if (up === low) {
        // Move every todo column at the smallest distance into the scan set.
        last = low - 1;
        min = dist[collist[up++]];
        for (let k = up; k < n; k++) {
          const j = collist[k];
          const h = dist[j];
          if (h <= min) {
            if (h < min) {
              up = low;
              min = h;
            }
            collist[k] = collist[up];
            collist[up++] = j;
          }
        }
        for (let k = low; k < up; k++) {
          if (colsol[collist[k]] < 0) {
            endOfPath = collist[k];
            break;
          }
        }
        if (endOfPath >= 0) break;
      }
      // Scan one column at distance min: relax the todo columns through the row assigned to it.
      const j1 = collist[low++];
      const i = colsol[j1];
      const base = i * n;
      const h = c[base + j1] - v[j1] - min;
      for (let k = up; k < n; k++) {
        const j = collist[k];
        const cand = c[base + j] - v[j] - h;
        if (cand < dist[j]) {
          pred[j] = i;
          if (cand === min) {
            if (colsol[j] < 0) {
              endOfPath = j;
              break;
            }
            collist[k] = collist[up];
            collist[up++] = j;
          }
          dist[j] = cand;
        }
      }
    }
    for (let k = 0; k <= last; k++) {
      const j = collist[k];
      v[j] += dist[j] - min;
    }
    for (;;) {
      const i = pred[endOfPath];
      colsol[endOfPath] = i;
      const next = rowsol[i];
      rowsol[i] = endOfPath;
      if (i === freeRow) break;
      endOfPath = next;
    }
  }
}
