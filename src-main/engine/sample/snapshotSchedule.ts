import { UserError } from '../../errors.js';

/**
 * Times at which `count` snapshots are taken over [t0, t1]: evenly spaced, both ends included,
 * t_j = t0 + (t1 - t0) j / (count - 1).
 */
export function snapshotTimes(t0: number, t1: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 2) {
    throw new UserError(`snapshots must be an integer >= 2 (start and end included); got ${count}`);
  }
  const times: number[] = [];
  for (let j = 0; j < count; j++) times.push(j === count - 1 ? t1 : t0 + ((t1 - t0) * j) / (count - 1));
  return times;
}

/**
 * Step indices at which a fixed-step solve of `steps` steps records `count` snapshots:
 * k_j = round(steps j / (count - 1)), both ends included, strictly increasing.
 */
export function snapshotStepIndices(steps: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 2 || count > steps + 1) {
    throw new UserError(
      `snapshots must be an integer in [2, steps + 1] = [2, ${steps + 1}] (start and end included); got ${count}`,
    );
  }
  const indices: number[] = [];
  for (let j = 0; j < count; j++) indices.push(Math.round((steps * j) / (count - 1)));
  return indices;
}
