// Exact moments of an SDE scheme's output on an affine drift (the exact Gaussian velocity makes
// v + eps s affine in x): each step is x' = L x + c + K xi, so a Gaussian stays Gaussian with
//   mean' = L mean + c,   cov' = L cov L^T + K K^T.
// L, c and K come from one batched host step over 1 + 2d rows: (mean, 0), (mean + e_j, 0), (mean, e_j).
import type { Interpolant } from '../../../../src-main/engine/interpolants/schedules.js';
import { hostSdeStep, type SdeMethod } from '../../../../src-main/engine/sample/sde.js';
import type { VelocityFn } from '../../../../src-main/engine/sample/types.js';

export async function schemeMoments(f: VelocityFn, it: Interpolant, method: SdeMethod, eps: number, d: number, steps: number, t1 = it.tMax) {
  let mean = new Float64Array(d);
  let cov = Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0));
  const rows = 1 + 2 * d;
  const h = t1 / steps;
  for (let k = 0; k < steps; k++) {
    const x = new Float64Array(rows * d);
    const xi = new Float64Array(rows * d);
    for (let r = 0; r < rows; r++) x.set(mean, r * d);
    for (let j = 0; j < d; j++) {
      x[(1 + j) * d + j] += 1;
      xi[(1 + d + j) * d + j] = 1;
    }
    const y = await hostSdeStep(f, it, method, eps, k * h, h, x, xi, rows, d);
    const L = new Float64Array(d * d);
    const K = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        L[i * d + j] = y[(1 + j) * d + i] - y[i];
        K[i * d + j] = y[(1 + d + j) * d + i] - y[i];
      }
    }
    const next = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let acc = 0;
        for (let p = 0; p < d; p++) {
          acc += K[i * d + p] * K[j * d + p];
          for (let q = 0; q < d; q++) acc += L[i * d + p] * cov[p * d + q] * L[j * d + q];
        }
        next[i * d + j] = acc;
      }
    }
    mean = y.slice(0, d);
    cov = next;
  }
  return { mean, cov };
}
