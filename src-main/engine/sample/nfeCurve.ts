/**
 * The NFE-versus-quality curve of a flow: for each fixed-step method and step count, solve from
 * the same base points and measure the samples with one figure (energy distance to held-out
 * data, a KL gap, ...). "Shorter paths need fewer steps" is then a comparison of two runs'
 * curves: the NFE at which each reaches a given quality.
 *
 * The grid is dense in NFE: every count from 1 to NFE_CURVE_MAX with each method whose stages
 * divide it (euler at every count, midpoint and heun at the even ones, rk4 at multiples of 4), so
 * two runs that differ by less than a doubling of the steps still read apart.
 *
 *   const curve = await nfeCurve((method, steps) => sampler.solve(x0, n, { solver: method, steps, t0: 0, t1: 1 }),
 *                                (x) => energyDistance(x, n, heldOut, m, d));
 *   const nfe = nfeToReach(curve, bar);   // the fewest NFE from which a method's figures stay <= bar
 */
import { stagesOf, type FixedMethod } from './rungeKutta.js';

export const NFE_CURVE_METHODS: readonly FixedMethod[] = ['euler', 'midpoint', 'heun', 'rk4'];
/** The largest NFE on the default grid. */
export const NFE_CURVE_MAX = 32;

export interface NfeGridPoint {
  method: FixedMethod;
  steps: number;
  /** Field evaluations: steps times the method's stages. */
  nfe: number;
}

export interface NfePoint extends NfeGridPoint {
  value: number;
}

/** Every (method, steps) with 1 <= steps * stages <= maxNfe, ordered by NFE, then by the methods' order. */
export function nfeGrid(maxNfe: number = NFE_CURVE_MAX, methods: readonly FixedMethod[] = NFE_CURVE_METHODS): NfeGridPoint[] {
  if (!Number.isInteger(maxNfe) || maxNfe < 1) throw new RangeError(`maxNfe must be a whole number of at least 1, got ${maxNfe}`);
  const out: NfeGridPoint[] = [];
  for (let nfe = 1; nfe <= maxNfe; nfe++) {
    for (const method of methods) {
      const stages = stagesOf(method);
      if (nfe % stages === 0) out.push({ method, steps: nfe / stages, nfe });
    }
  }
  return out;
}

export async function nfeCurve(
  solve: (method: FixedMethod, steps: number) => Promise<{ x: ArrayLike<number> }>,
  quality: (x: ArrayLike<number>) => number,
  grid: readonly NfeGridPoint[] = nfeGrid(),
): Promise<NfePoint[]> {
  const out: NfePoint[] = [];
  for (const { method, steps, nfe } of grid) {
    const { x } = await solve(method, steps);
    out.push({ method, steps, nfe, value: quality(x) });
  }
  return out;
}

/**
 * The fewest NFE from which a method's solves pass `accept` at every larger count of the grid
 * (the least over methods; Infinity if none passes at its largest count). A value (`number`)
 * accepts figures at most it. "From there on", not "somewhere": a coarse solve's figure can be
 * biased either way (euler's likelihood can read below the data's entropy) and pass by crossing
 * the target on its way to the converged figure; a solve that has converged stays.
 */
export function nfeToReach(curve: readonly NfePoint[], accept: number | ((value: number) => boolean)): number {
  const ok = typeof accept === 'number' ? (v: number) => v <= accept : accept;
  let best = Infinity;
  for (const method of new Set(curve.map((p) => p.method))) {
    const points = curve.filter((p) => p.method === method).sort((a, b) => a.nfe - b.nfe);
    let from = Infinity;
    for (let i = points.length - 1; i >= 0 && ok(points[i].value); i--) from = points[i].nfe;
    best = Math.min(best, from);
  }
  return best;
}
