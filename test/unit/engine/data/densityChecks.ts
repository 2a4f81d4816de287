// Helpers shared by the density tests: midpoint-rule integrals and sample histograms on grids.
import type { BBox, LogDensityFn } from '../../../../src-main/engine/data/types.js';

/** Midpoints of a cells x cells grid over box, row-major [cells^2, 2], and the cell area. */
export function gridMidpoints(box: BBox, cells: number): { points: Float64Array; area: number } {
  const hx = (box.xMax - box.xMin) / cells;
  const hy = (box.yMax - box.yMin) / cells;
  const points = new Float64Array(2 * cells * cells);
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      const k = i * cells + j;
      points[2 * k] = box.xMin + (i + 0.5) * hx;
      points[2 * k + 1] = box.yMin + (j + 0.5) * hy;
    }
  }
  return { points, area: hx * hy };
}

/** integral of exp(logDensity) over box by the midpoint rule on a cells x cells grid. */
export function integrateOnGrid(logDensity: LogDensityFn, box: BBox, cells: number): number {
  const { points, area } = gridMidpoints(box, cells);
  const logp = logDensity(points, cells * cells);
  let s = 0;
  for (const v of logp) s += Math.exp(v);
  return s * area;
}

/**
 * Chi-square of a bins x bins histogram of n samples against the counts the density predicts
 * (each bin's mass by a sub x sub midpoint rule), over bins expecting at least minExpected.
 */
export function histogramChiSquare(
  samples: Float32Array,
  n: number,
  logDensity: LogDensityFn,
  box: BBox,
  bins: number,
  sub: number,
  minExpected: number,
): { chi2: number; dof: number } {
  const counts = new Float64Array(bins * bins);
  const wx = (box.xMax - box.xMin) / bins;
  const wy = (box.yMax - box.yMin) / bins;
  for (let k = 0; k < n; k++) {
    const i = Math.floor((samples[2 * k] - box.xMin) / wx);
    const j = Math.floor((samples[2 * k + 1] - box.yMin) / wy);
    if (i >= 0 && i < bins && j >= 0 && j < bins) counts[i * bins + j]++;
  }
  const fine = gridMidpoints(box, bins * sub);
  const logp = logDensity(fine.points, bins * sub * bins * sub);
  const expected = new Float64Array(bins * bins);
  for (let a = 0; a < bins * sub; a++) {
    for (let b = 0; b < bins * sub; b++) {
      expected[Math.floor(a / sub) * bins + Math.floor(b / sub)] += n * fine.area * Math.exp(logp[a * bins * sub + b]);
    }
  }
  let chi2 = 0;
  let used = 0;
  for (let k = 0; k < bins * bins; k++) {
    if (expected[k] < minExpected) continue;
    chi2 += (counts[k] - expected[k]) ** 2 / expected[k];
    used++;
  }
  return { chi2, dof: used - 1 };
}
