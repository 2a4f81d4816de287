import { UserError } from '../../errors.js';
import { integrateDopri5 } from './dopri5.js';
import { integrateFixed } from './integrateFixed.js';
import { isFixedMethod, SOLVERS, type SolverName } from './rungeKutta.js';
import type { Snapshots, VelocityFn } from './types.js';

export type { SolverName } from './rungeKutta.js';

export interface SolveOptions {
  t0: number;
  t1: number;
  solver: SolverName;
  /** Fixed-step solvers: number of steps (required for them). */
  steps?: number;
  /** dopri5: tolerances, first step, step budget (defaults in dopri5.ts). */
  rtol?: number;
  atol?: number;
  h0?: number;
  maxSteps?: number;
  /** Number of evenly spaced states to record, start and end included. */
  snapshots?: number;
}

export interface SolveResult {
  x: Float64Array;
  nfe: number;
  snapshots?: Snapshots;
  /** dopri5 only: attempted, accepted and rejected steps. */
  steps?: number;
  accepted?: number;
  rejected?: number;
}

/**
 * Solves dx/dt = v(t, x) from t0 to t1 with the named solver: one entry point for the fixed-step
 * methods and the adaptive Dormand-Prince pair.
 *
 *   const { x, nfe } = await solveOde(v, x0, n, d, { t0: 0, t1: 1, solver: 'rk4', steps: 20 });
 */
export async function solveOde(
  f: VelocityFn,
  x0: ArrayLike<number>,
  n: number,
  d: number,
  options: SolveOptions,
): Promise<SolveResult> {
  const { solver, t0, t1, snapshots } = options;
  if (solver === 'dopri5') {
    const { rtol, atol, h0, maxSteps } = options;
    return integrateDopri5(f, x0, n, d, { t0, t1, rtol, atol, h0, maxSteps, snapshots });
  }
  if (!isFixedMethod(solver)) {
    throw new UserError(`unknown solver '${String(solver)}'; use one of ${SOLVERS.join(', ')}`);
  }
  if (options.steps === undefined) {
    throw new UserError(`solver '${solver}' takes a fixed number of steps; pass steps (e.g. 100)`);
  }
  return integrateFixed(f, x0, n, d, { t0, t1, steps: options.steps, method: solver, snapshots });
}
