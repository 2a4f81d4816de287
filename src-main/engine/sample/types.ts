/**
 * The contract every host-side solver drives: a batched velocity field. One call is one batched
 * net evaluation (1 NFE). Arrays are row-major [n, d]; `x` is only valid during the call (solvers
 * reuse their buffers), and the solver copies the result before its next call, so an
 * implementation may reuse its output buffer.
 */

/** One batched call at time t on x row-major [n, d] (t is one time for the whole batch), resolving to R. */
export type FieldCall<R> = (t: number, x: Float32Array | Float64Array, n: number, d: number) => Promise<R>;

type Values = Float64Array | Float32Array;

/** v(t, x) for a batch, same layout as x. */
export type VelocityFn = FieldCall<Values>;

/** v and div v (exact or estimated) for a batch: v is [n, d], div is [n]. */
export type VelocityDivFn = FieldCall<{ v: Values; div: Values }>;

/** v and its Jacobian for a batch: v is [n, d], jac is [n, d, d] with jac[i][k][j] = dv_k/dx_j at point i. */
export type VelocityJacFn = FieldCall<{ v: Values; jac: Values }>;

/** States recorded along a solve: xs[k] (row-major [n, d]) is the state at time t[k]. */
export interface Snapshots {
  t: number[];
  xs: Float64Array[];
}
