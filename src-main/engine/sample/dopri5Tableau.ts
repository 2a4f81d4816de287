/**
 * The Dormand-Prince 5(4) Butcher tableau (Dormand & Prince 1980; Hairer, Norsett & Wanner,
 * "Solving ODEs I", table 5.2) and its order-4 continuous extension (Hairer's DOPRI5 code).
 *
 *   stage s:  k_s = v(t + c_s h, y + h sum_{j<s} a_sj k_j),   s = 1..7
 *   y_new     = y + h sum_j a_7j k_j          (5th order; k_7 = v(t + h, y_new): first same as last)
 *   err       = h sum_j e_j k_j               (e = b5 - b4, the embedded 4th-order difference)
 */
import type { ButcherTableau } from './rungeKutta.js';

/** Nodes c_1..c_7. */
export const DOPRI5_C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1] as const;

/** Rows a_s (s = 2..7) of the stage matrix; row 7 is also the 5th-order weight vector b. */
export const DOPRI5_A: readonly (readonly number[])[] = [
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];

/** Error weights e_1..e_7 = b5 - b4. */
export const DOPRI5_E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40] as const;

/** A Butcher tableau with an embedded lower-order solution: err = h sum_j e_j k_j. */
export interface EmbeddedTableau extends ButcherTableau {
  readonly e: readonly number[];
}

/** Dormand-Prince 5(4) as tableau data: b is row 7 of A with b_7 = 0 (the 7th stage only estimates the error). */
export const DOPRI5: EmbeddedTableau = { order: 5, c: DOPRI5_C, a: DOPRI5_A, b: [...DOPRI5_A[5], 0], e: DOPRI5_E };

/** Weights d_1..d_7 of the dense-output correction term (Hairer's DOPRI5). */
export const DOPRI5_D = [
  -12715105075 / 11282082432,
  0,
  87487479700 / 32700410799,
  -10690763975 / 1880347072,
  701980252875 / 199316789632,
  -1453857185 / 822651844,
  69997945 / 29380423,
] as const;

/**
 * The continuous extension on an accepted step from (t, y) to (t + h, y_new), theta in [0, 1]:
 *   r2 = y_new - y,  r3 = h k_1 - r2,  r4 = r2 - h k_7 - r3,  r5 = h sum_j d_j k_j
 *   y(t + theta h) = y + theta (r2 + (1 - theta) (r3 + theta (r4 + (1 - theta) r5)))
 * Writes into out; k holds k_1..k_7.
 */
export function dopri5DenseOutput(
  theta: number,
  h: number,
  y: Float64Array,
  yNew: Float64Array,
  k: readonly Float64Array[],
  out: Float64Array,
): Float64Array {
  const theta1 = 1 - theta;
  const [k1, , k3, k4, k5, k6, k7] = k;
  const [d1, , d3, d4, d5, d6, d7] = DOPRI5_D;
  for (let i = 0; i < out.length; i++) {
    const r2 = yNew[i] - y[i];
    const r3 = h * k1[i] - r2;
    const r4 = r2 - h * k7[i] - r3;
    const r5 = h * (d1 * k1[i] + d3 * k3[i] + d4 * k4[i] + d5 * k5[i] + d6 * k6[i] + d7 * k7[i]);
    out[i] = y[i] + theta * (r2 + theta1 * (r3 + theta * (r4 + theta1 * r5)));
  }
  return out;
}
