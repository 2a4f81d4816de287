import { UserError } from '../../errors.js';
import { numbers } from '../interpolants/algebra.js';
import { FIXED_METHODS, isFixedMethod, RK_METHODS, rkStep, type ButcherTableau, type FixedMethod, type StepWorld } from './rungeKutta.js';
import { snapshotStepIndices } from './snapshotSchedule.js';
import { SolverNonFiniteError } from './solverErrors.js';
import type { Snapshots, VelocityFn } from './types.js';
import { checkBatch, countCalls, velocityAt } from './velocityCall.js';

export interface FixedOptions {
  t0: number;
  t1: number;
  steps: number;
  method: FixedMethod;
  /** Number of states to record, evenly spaced in steps, start and end included (>= 2). */
  snapshots?: number;
}

export interface FixedResult {
  x: Float64Array;
  nfe: number;
  snapshots?: Snapshots;
}

/**
 * x + sum_j w_j k_j on the host, for states that are promises of Float64 arrays. Promise.all
 * awaits every stage, so a failed one cannot leave the others unobserved.
 */
export async function hostCombine(x: Promise<Float64Array>, terms: [number, Promise<Float64Array>][]): Promise<Float64Array> {
  const [base, ...ks] = await Promise.all([x, ...terms.map(([, k]) => k)]);
  const out = new Float64Array(base);
  terms.forEach(([w], j) => {
    const k = ks[j];
    for (let i = 0; i < out.length; i++) out[i] += w * k[i];
  });
  return out;
}

/**
 * The host world of `rkStep`: Float64 states [n, d], each stage a promise of its state, so the
 * stages chain in order (a stage's field call waits for the states it combines).
 */
function hostWorld(f: VelocityFn, n: number, d: number): StepWorld<number, Promise<Float64Array>> {
  return {
    time: numbers,
    combine: hostCombine,
    field: async (t, x) => velocityAt(f, t, await x, n, d),
  };
}

/** One step of the tableau on the host: x_next = x + h sum_s b_s k_s (rungeKutta.ts). */
export function hostRkStep(tableau: ButcherTableau, f: VelocityFn, t: number, h: number, x: Float64Array, n: number, d: number): Promise<Float64Array> {
  return rkStep(hostWorld(f, n, d), tableau, t, h, Promise.resolve(x));
}

/** Index of the first non-finite entry of x, or -1. */
function firstNonFinite(x: Float64Array): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
  return -1;
}

/**
 * Solves dx/dt = v(t, x) from t0 to t1 (t1 < t0 integrates backward, i.e. encodes) with `steps`
 * equal steps h = (t1 - t0) / steps of the chosen method, at times t_k = t0 + k h.
 * NFE = steps * stagesOf(method). The state is kept in Float64.
 *
 *   const { x } = await integrateFixed(velocity, x0, n, d, { t0: 0, t1: 1, steps: 50, method: 'rk4' });
 */
export async function integrateFixed(
  f: VelocityFn,
  x0: ArrayLike<number>,
  n: number,
  d: number,
  options: FixedOptions,
): Promise<FixedResult> {
  const { t0, t1, steps, method } = options;
  checkBatch('integrateFixed x0', x0, n, d);
  if (!isFixedMethod(method)) {
    throw new UserError(`unknown fixed-step method '${method}'; use one of ${FIXED_METHODS.join(', ')}`);
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new UserError(`steps must be a positive integer; got ${steps}`);
  }
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) {
    throw new UserError(`t0 and t1 must be finite numbers; got t0=${t0}, t1=${t1}`);
  }
  const tableau = RK_METHODS[method];
  const counted = countCalls(f);
  const h = (t1 - t0) / steps;
  const record = options.snapshots === undefined ? null : snapshotStepIndices(steps, options.snapshots);
  const snapshots: Snapshots | undefined = record ? { t: [], xs: [] } : undefined;
  let recordNext = 0;

  let x: Float64Array = Float64Array.from(x0);
  for (let k = 0; k <= steps; k++) {
    const t = k === steps ? t1 : t0 + k * h;
    if (record && snapshots && record[recordNext] === k) {
      snapshots.t.push(t);
      snapshots.xs.push(new Float64Array(x));
      recordNext++;
    }
    if (k === steps) break;
    x = await hostRkStep(tableau, counted.fn, t, h, x, n, d);
    const bad = firstNonFinite(x);
    if (bad >= 0) {
      const tEnd = t + h;
      throw new SolverNonFiniteError(
        `${method} produced a non-finite state (point ${Math.floor(bad / d)}) at t=${tEnd} while solving from ` +
          `t=${t0} to t=${t1} in ${steps} steps; use more steps or check the velocity field`,
        tEnd,
      );
    }
  }
  return snapshots ? { x, nfe: counted.calls(), snapshots } : { x, nfe: counted.calls() };
}
