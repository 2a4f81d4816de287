import { UserError } from '../../errors.js';
import { DOPRI5, dopri5DenseOutput } from './dopri5Tableau.js';
import { snapshotTimes } from './snapshotSchedule.js';
import { SolverBudgetError, SolverNonFiniteError, SolverStepSizeError } from './solverErrors.js';
import type { Snapshots, VelocityFn } from './types.js';
import { checkBatch, countCalls, velocityInto } from './velocityCall.js';

/** Default relative tolerance: the usual choice for likelihoods of continuous flows. */
export const DEFAULT_RTOL = 1e-5;
/** Default absolute tolerance, matched to DEFAULT_RTOL for states of order one. */
export const DEFAULT_ATOL = 1e-5;
/** Default budget of attempted steps: far more than a smooth flow needs, small enough to stop a stiff one. */
export const DEFAULT_MAX_STEPS = 10_000;
/** Step-size controller safety factor: aim a little below the largest admissible step. */
export const SAFETY = 0.9;
/** Bounds on the step-size change per step, so one bad error estimate cannot derail the solve. */
export const MIN_FACTOR = 0.2;
export const MAX_FACTOR = 10;
/** PI controller (Hairer's DOPRI5): factor = SAFETY err^-(1/5 - 0.75 BETA) errOld^BETA. */
export const PI_BETA = 0.04;
const PI_ALPHA = 1 / 5 - 0.75 * PI_BETA;
/** Floor on the previous error in the PI term, as in DOPRI5, so a lucky tiny error cannot blow up the step. */
const ERR_OLD_FLOOR = 1e-4;
/** A step is stretched to land on t1 when it would leave less than 1% of itself to go (avoids a sliver step). */
const LAST_STEP_STRETCH = 1.01;
/** Smallest step, relative to the magnitude of the times involved, that still moves t in floating point. */
const MIN_STEP_RELATIVE = 10 * Number.EPSILON;

export interface Dopri5Options {
  t0: number;
  t1: number;
  rtol?: number;
  atol?: number;
  /** First step magnitude; chosen automatically (Hairer's heuristic) when absent. */
  h0?: number;
  /** Budget of attempted (accepted + rejected) steps; exceeding it throws SolverBudgetError. */
  maxSteps?: number;
  /** Number of states to record at evenly spaced times, start and end included (>= 2), by dense output. */
  snapshots?: number;
}

export interface Dopri5Result {
  x: Float64Array;
  nfe: number;
  steps: number;
  accepted: number;
  rejected: number;
  snapshots?: Snapshots;
}

/** Scaled RMS norm: sqrt(mean_i (e_i / (atol + rtol max(|y_i|, |yNew_i|)))^2) over the whole batch. */
export function errorNorm(
  e: ArrayLike<number>,
  y: ArrayLike<number>,
  yNew: ArrayLike<number>,
  rtol: number,
  atol: number,
): number {
  let sum = 0;
  for (let i = 0; i < e.length; i++) {
    const scale = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
    const r = e[i] / scale;
    sum += r * r;
  }
  return Math.sqrt(sum / e.length);
}

function rmsScaled(v: Float64Array, y: Float64Array, rtol: number, atol: number): number {
  return errorNorm(v, y, y, rtol, atol);
}

/**
 * Hairer's initial step (Solving ODEs I, II.4), with sc_i = atol + rtol |y0_i| and RMS norms:
 *   h_a = 0.01 |y0/sc| / |f0/sc|  (1e-6 when either is below 1e-5),
 *   f1  = v(t0 + h_a, y0 + h_a f0),  d2 = |(f1 - f0)/sc| / h_a,
 *   h_b = (0.01 / max(|f0/sc|, d2))^(1/5),   h = min(100 h_a, h_b, |t1 - t0|).   Costs 1 NFE.
 */
async function initialStep(
  f: VelocityFn,
  t0: number,
  y0: Float64Array,
  f0: Float64Array,
  dir: number,
  span: number,
  n: number,
  d: number,
  rtol: number,
  atol: number,
): Promise<number> {
  const d0 = rmsScaled(y0, y0, rtol, atol);
  const d1 = errorNorm(f0, y0, y0, rtol, atol);
  let ha = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  ha = Math.min(ha, span);
  const y1 = new Float64Array(y0.length);
  for (let i = 0; i < y1.length; i++) y1[i] = y0[i] + dir * ha * f0[i];
  const f1 = await velocityInto(f, t0 + dir * ha, y1, n, d, new Float64Array(y0.length));
  for (let i = 0; i < f1.length; i++) f1[i] -= f0[i];
  const d2 = errorNorm(f1, y0, y0, rtol, atol) / ha;
  const dmax = Math.max(d1, d2);
  let hb = dmax <= 1e-15 ? Math.max(1e-6, ha * 1e-3) : Math.pow(0.01 / dmax, 1 / 5);
  if (!Number.isFinite(hb)) hb = ha;
  return Math.min(100 * ha, hb, span);
}

function checkOptions(o: Dopri5Options): { rtol: number; atol: number; maxSteps: number } {
  const rtol = o.rtol ?? DEFAULT_RTOL;
  const atol = o.atol ?? DEFAULT_ATOL;
  const maxSteps = o.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isFinite(o.t0) || !Number.isFinite(o.t1)) {
    throw new UserError(`t0 and t1 must be finite numbers; got t0=${o.t0}, t1=${o.t1}`);
  }
  if (!(rtol >= 0) || !(atol >= 0) || rtol + atol === 0) {
    throw new UserError(`rtol and atol must be >= 0 and not both 0; got rtol=${rtol}, atol=${atol}`);
  }
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new UserError(`maxSteps must be a positive integer; got ${maxSteps}`);
  }
  if (o.h0 !== undefined && !(Math.abs(o.h0) > 0 && Number.isFinite(o.h0))) {
    throw new UserError(`h0 must be a non-zero finite step; got ${o.h0} (omit it to choose automatically)`);
  }
  return { rtol, atol, maxSteps };
}

/**
 * Solves dx/dt = v(t, x) from t0 to t1 (either direction) with the adaptive Dormand-Prince 5(4)
 * pair: local extrapolation (the 5th-order solution is kept), first-same-as-last (6 NFE per
 * attempted step), error norm RMS over the whole batch of err / (atol + rtol max(|y|, |y_new|)),
 * PI step-size control with safety 0.9 and factor bounds [0.2, 10]. NFE = 2 + 6 (accepted + rejected).
 * Throws SolverBudgetError (with tReached) when maxSteps attempts do not reach t1.
 *
 *   const { x, nfe } = await integrateDopri5(velocity, x0, n, d, { t0: 0, t1: 1, rtol: 1e-5, atol: 1e-5 });
 */
export async function integrateDopri5(
  f: VelocityFn,
  x0: ArrayLike<number>,
  n: number,
  d: number,
  options: Dopri5Options,
): Promise<Dopri5Result> {
  checkBatch('integrateDopri5 x0', x0, n, d);
  const { rtol, atol, maxSteps } = checkOptions(options);
  const { t0, t1 } = options;
  const size = n * d;
  const counted = countCalls(f);
  const fn = counted.fn;
  const wantTimes = options.snapshots === undefined ? null : snapshotTimes(t0, t1, options.snapshots);
  const snapshots: Snapshots | undefined = wantTimes ? { t: [], xs: [] } : undefined;
  let nextSnap = 0;

  let y = Float64Array.from(x0);
  if (snapshots && wantTimes) {
    snapshots.t.push(t0);
    snapshots.xs.push(new Float64Array(y));
    nextSnap = 1;
  }
  if (t0 === t1) {
    if (snapshots && wantTimes) {
      for (; nextSnap < wantTimes.length; nextSnap++) {
        snapshots.t.push(t1);
        snapshots.xs.push(new Float64Array(y));
      }
    }
    return { x: y, nfe: 0, steps: 0, accepted: 0, rejected: 0, ...(snapshots ? { snapshots } : {}) };
  }

  const dir = t1 > t0 ? 1 : -1;
  const span = Math.abs(t1 - t0);
  const timeScale = Math.max(Math.abs(t0), Math.abs(t1), span);
  let yNew = new Float64Array(size);
  const yStage = new Float64Array(size);
  const k: Float64Array[] = Array.from({ length: 7 }, () => new Float64Array(size));

  await velocityInto(fn, t0, y, n, d, k[0]);
  if (!k[0].every(Number.isFinite) || !y.every(Number.isFinite)) {
    throw new SolverNonFiniteError(
      `the initial state or its velocity at t=${t0} is not finite; check x0 and the velocity field`,
      t0,
    );
  }
  let h =
    options.h0 !== undefined
      ? Math.min(Math.abs(options.h0), span)
      : await initialStep(fn, t0, y, k[0], dir, span, n, d, rtol, atol);

  let t = t0;
  let accepted = 0;
  let rejected = 0;
  let errOld = ERR_OLD_FLOOR;
  let lastRejected = false;
  while (dir * (t1 - t) > 0) {
    if (accepted + rejected >= maxSteps) {
      throw new SolverBudgetError(
        `Dormand-Prince used its budget of maxSteps=${maxSteps} steps (${accepted} accepted, ${rejected} rejected) ` +
          `and stopped at t=${t} before reaching t1=${t1}; raise maxSteps or loosen rtol/atol`,
        t,
      );
    }
    if (h < MIN_STEP_RELATIVE * timeScale) {
      throw new SolverStepSizeError(
        `Dormand-Prince step size fell to ${h.toExponential(2)} at t=${t}: the velocity field is non-finite or ` +
          `too stiff there; check the field or loosen rtol/atol`,
        t,
      );
    }
    const last = dir * (t + dir * LAST_STEP_STRETCH * h - t1) >= 0;
    const hs = last ? t1 - t : dir * h;

    for (let s = 1; s < 7; s++) {
      const row = DOPRI5.a[s - 1];
      const target = s === 6 ? yNew : yStage;
      for (let i = 0; i < size; i++) {
        let acc = 0;
        for (let j = 0; j < row.length; j++) acc += row[j] * k[j][i];
        target[i] = y[i] + hs * acc;
      }
      const ts = s === 6 ? (last ? t1 : t + hs) : t + DOPRI5.c[s] * hs;
      await velocityInto(fn, ts, target, n, d, k[s]);
    }
    let errSum = 0;
    for (let i = 0; i < size; i++) {
      let e = 0;
      for (let j = 0; j < 7; j++) e += DOPRI5.e[j] * k[j][i];
      const scale = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
      const r = (hs * e) / scale;
      errSum += r * r;
    }
    const err = Math.sqrt(errSum / size);

    if (err <= 1) {
      accepted++;
      const tNew = last ? t1 : t + hs;
      let factor = SAFETY * Math.pow(err, -PI_ALPHA) * Math.pow(errOld, PI_BETA);
      factor = Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, factor));
      if (lastRejected) factor = Math.min(1, factor);
      errOld = Math.max(err, ERR_OLD_FLOOR);
      if (snapshots && wantTimes) {
        while (nextSnap < wantTimes.length && dir * (wantTimes[nextSnap] - tNew) <= 0) {
          const ts = wantTimes[nextSnap];
          const xs =
            ts === tNew ? new Float64Array(yNew) : dopri5DenseOutput((ts - t) / hs, hs, y, yNew, k, new Float64Array(size));
          snapshots.t.push(ts);
          snapshots.xs.push(xs);
          nextSnap++;
        }
      }
      [y, yNew] = [yNew, y];
      [k[0], k[6]] = [k[6], k[0]];
      t = tNew;
      h = Math.abs(hs) * factor;
      lastRejected = false;
    } else {
      rejected++;
      const factor = Number.isFinite(err) ? Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -PI_ALPHA)) : MIN_FACTOR;
      h = Math.abs(hs) * factor;
      lastRejected = true;
    }
  }
  const result: Dopri5Result = { x: y, nfe: counted.calls(), steps: accepted + rejected, accepted, rejected };
  if (snapshots) result.snapshots = snapshots;
  return result;
}
