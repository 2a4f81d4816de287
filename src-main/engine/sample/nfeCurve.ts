/**
 * The NFE-versus-quality curve of a flow: for each fixed-step method and step count, solve from
 * the same base points and measure the samples with one figure (energy distance to held-out
 * data, a KL gap, ...). "Shorter paths need fewer steps" is then a comparison of two runs'
 * curves: the NFE at which each reaches a given quality.
 *
 *   const curve = await nfeCurve((method, steps) => sampler.solve(x0, n, { solver: method, steps, t0: 0, t1: 1 }),
 *                                (x) => energyDistance(x, n, heldOut, m, d));
 */
import { stagesOf, type FixedMethod } from './rungeKutta.js';

export const NFE_CURVE_METHODS: readonly FixedMethod[] = ['euler', 'rk4'];
export const NFE_CURVE_STEPS: readonly number[] = [2, 4, 8, 16, 32];

export interface NfePoint {
  method: FixedMethod;
  steps: number;
  /** Field evaluations: steps times the method's stages. */
  nfe: number;
  value: number;
}

export async function nfeCurve(
  solve: (method: FixedMethod, steps: number) => Promise<{ x: ArrayLike<number> }>,
  quality: (x: ArrayLike<number>) => number,
  methods: readonly FixedMethod[] = NFE_CURVE_METHODS,
  steps: readonly number[] = NFE_CURVE_STEPS,
): Promise<NfePoint[]> {
  const out: NfePoint[] = [];
  for (const method of methods) {
    for (const k of steps) {
      const { x } = await solve(method, k);
      out.push({ method, steps: k, nfe: k * stagesOf(method), value: quality(x) });
    }
  }
  return out;
}

/** The fewest NFE at which a curve's value is at most `target` (Infinity if never). */
export function nfeToReach(curve: readonly NfePoint[], target: number): number {
  return curve.filter((p) => p.value <= target).reduce((best, p) => Math.min(best, p.nfe), Infinity);
}
