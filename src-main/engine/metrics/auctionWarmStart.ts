/**
 * Ratio between successive epsilons of the auction: larger means fewer phases but more bids in
 * each, because a phase starts from prices that are only previous-epsilon optimal.
 */
export const AUCTION_EPSILON_RATIO = 4;
/** First epsilon as a fraction of the cost spread max c - min c: coarse bidding settles the prices' scale. */
export const AUCTION_FIRST_EPSILON = 1 / 8;
/**
 * Last epsilon as a fraction of the cost spread: prices this close to optimal leave the exact phase
 * short augmenting paths, while far above rounding error (1e-16) so every bid makes progress.
 */
export const AUCTION_LAST_EPSILON = 1e-7;
/** Bid budget per phase, in bids per row: a phase that would need more stops, and the exact phase takes over. */
export const AUCTION_BIDS_PER_ROW = 64;

/**
 * Epsilon-scaling auction (Bertsekas) as a warm start for the exact assignment solver, in the
 * minimisation form with column prices v: a free row i bids for j1 = argmin_j (c_ij - v_j), lowering
 * v_j1 by (second smallest - smallest) + eps, and takes j1 from its previous holder, who becomes free.
 * When no row is free, each row is within eps of its best column (eps-complementary slackness);
 * epsilon then shrinks by AUCTION_EPSILON_RATIO and the rows bid again from the current prices.
 * Leaves v near the optimal dual prices and rowsol/colsol as the last phase's assignment (rows of
 * a phase that ran out of budget stay free: -1).
 */
export function auctionWarmStart(
  c: Float64Array,
  n: number,
  v: Float64Array,
  rowsol: Int32Array,
  colsol: Int32Array,
): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let e = 0; e < c.length; e++) {
    if (c[e] < lo) lo = c[e];
    if (c[e] > hi) hi = c[e];
  }
  const spread = hi - lo;
  if (n < 2 || !(spread > 0)) return; // one row, or all costs equal: nothing to bid for
  const stack = new Int32Array(n);
  const last = spread * AUCTION_LAST_EPSILON;
  for (let eps = spread * AUCTION_FIRST_EPSILON; eps >= last; eps /= AUCTION_EPSILON_RATIO) {
    rowsol.fill(-1);
    colsol.fill(-1);
    let count = 0;
    for (let i = n - 1; i >= 0; i--) stack[count++] = i;
    for (let bids = AUCTION_BIDS_PER_ROW * n; count > 0 && bids > 0; bids--) {
      const i = stack[--count];
      const row = i * n;
      let umin = c[row] - v[0];
      let j1 = 0;
      let usubmin = Infinity;
      for (let j = 1; j < n; j++) {
        const h = c[row + j] - v[j];
        if (h < usubmin) {
          if (h >= umin) {
            usubmin = h;
          } else {
            usubmin = umin;
            umin = h;
            j1 = j;
          }
        }
      }
      v[j1] -= usubmin - umin + eps;
      const i0 = colsol[j1];
      rowsol[i] = j1;
      colsol[j1] = i;
      if (i0 >= 0) {
        rowsol[i0] = -1;
        stack[count++] = i0;
      }
    }
  }
}
