/**
 * The export panel's request: what the user typed, checked against the contract's limits with a
 * one-line message at the field, then the `sample.run` arguments.
 */
import {
  DEFAULT_SOLVER_STEPS, IMAGE_SAMPLER, isSdeSolver, MAX_SAMPLE_POINTS, MAX_SEED, MAX_SOLVER_STEPS, SDE_EPS, SOLVER_TOLERANCE,
  type SampleDirection, type SolverName,
} from '../../src-main/api/schemas.js';
import type { ArgsOf } from '../../src-main/api/contract.js';

export interface SampleForm {
  n: number;
  solver: SolverName;
  steps: number;
  tolerance: number;
  direction: SampleDirection;
  seed: number;
  /** Diffusion of the SDE samplers (em, sde-heun); 0 is the ODE. */
  sdeEps: number;
}

/** The number an image run's form starts at: a gallery's worth, drawn in seconds. */
export const IMAGE_SAMPLE_N = 64;
export const DEFAULT_SAMPLE_FORM: SampleForm = { n: 10_000, solver: 'rk4', steps: DEFAULT_SOLVER_STEPS, tolerance: 1e-5, direction: 'generate', seed: 0, sdeEps: SDE_EPS.default };
/** An image run's form: a gallery's worth from the image sampler (the CLI's default for images). */
export const IMAGE_SAMPLE_FORM: SampleForm = { ...DEFAULT_SAMPLE_FORM, n: IMAGE_SAMPLE_N, solver: IMAGE_SAMPLER.solver, steps: IMAGE_SAMPLER.steps, sdeEps: IMAGE_SAMPLER.sdeEps };

function wholeIn(v: unknown, lo: number, hi: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

/** The first problem, by field, or the arguments of `sample.run`. */
export function sampleArgs(runId: string, f: SampleForm): { field: keyof SampleForm; message: string } | { args: ArgsOf<'sample.run'> } {
  if (!wholeIn(f.n, 1, MAX_SAMPLE_POINTS)) return { field: 'n', message: `Samples must be a whole number from 1 to ${MAX_SAMPLE_POINTS}` };
  if (!wholeIn(f.seed, 0, MAX_SEED)) return { field: 'seed', message: `Seed must be a whole number from 0 to ${MAX_SEED}` };
  const args: ArgsOf<'sample.run'> = { runId, n: f.n, solver: f.solver, direction: f.direction, seed: f.seed };
  if (f.solver === 'dopri5') {
    const t = f.tolerance;
    if (!(typeof t === 'number' && t >= SOLVER_TOLERANCE.min && t <= SOLVER_TOLERANCE.max)) {
      return { field: 'tolerance', message: `Tolerance must be a number from ${SOLVER_TOLERANCE.min} to ${SOLVER_TOLERANCE.max} (1e-5 is a good default)` };
    }
    args.rtol = t;
    args.atol = t;
  } else {
    if (!wholeIn(f.steps, 1, MAX_SOLVER_STEPS)) return { field: 'steps', message: `Steps must be a whole number from 1 to ${MAX_SOLVER_STEPS}` };
    args.steps = f.steps;
  }
  if (isSdeSolver(f.solver)) {
    const e = f.sdeEps;
    if (!(typeof e === 'number' && e >= SDE_EPS.min && e <= SDE_EPS.max)) {
      return { field: 'sdeEps', message: `Diffusion eps must be a number from ${SDE_EPS.min} to ${SDE_EPS.max} (0 is the ODE)` };
    }
    if (f.direction === 'encode') return { field: 'solver', message: 'The SDE samplers only generate; encode with an ODE solver' };
    args.sdeEps = e;
  }
  return { args };
}
