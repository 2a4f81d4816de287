/**
 * Gaussian N(m, S) in any dimension d, through the Cholesky factor S = L L^T:
 *
 *   sample:      x = m + L z,  z ~ N(0, I)
 *   log-density: log N(x; m, S) = -|L^{-1}(x - m)|^2 / 2 - sum_i log L_ii - (d/2) log(2 pi)
 *   entropy:     H = (d/2)(1 + log(2 pi)) + sum_i log L_ii      (= (1/2) log det(2 pi e S))
 */
import { gaussianParameters } from '../../api/gaussianSpec.js';
import { Rng } from '../random.js';
import { dataStream } from './streams.js';
import type { Points, Sampler } from './types.js';

export { cholesky } from '../../api/gaussianSpec.js';

export interface Gaussian extends Sampler {
  readonly d: number;
  readonly mean: Float64Array;
  /** Row-major [d, d] covariance. */
  readonly cov: Float64Array;
  /** Row-major [d, d] lower-triangular L with L L^T = cov. */
  readonly chol: Float64Array;
  /** Exact differential entropy in nats. */
  readonly entropy: number;
  logDensity(points: Points, n: number): Float64Array;
}

/** N(mean, cov); cov is [d][d] or row-major flat, identity when omitted. */
export function gaussian(mean: ArrayLike<number>, cov?: number[][] | ArrayLike<number>): Gaussian {
  const { d, mean: m, cov: s, chol: l, entropy } = gaussianParameters(mean, cov);
  let sumLogDiag = 0;
  for (let i = 0; i < d; i++) sumLogDiag += Math.log(l[i * d + i]);
  const logNorm = -sumLogDiag - 0.5 * d * Math.log(2 * Math.PI);
  const stream = dataStream('gaussian');

  return {
    d,
    mean: m,
    cov: s,
    chol: l,
    entropy,
    sample(n: number, seed: number): Float32Array {
      const rng = new Rng(seed, stream);
      const out = new Float32Array(n * d);
      const z = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < d; c++) z[c] = rng.normal();
        for (let r = 0; r < d; r++) {
          let x = m[r];
          for (let c = 0; c <= r; c++) x += l[r * d + c] * z[c];
          out[i * d + r] = x;
        }
      }
      return out;
    },
    logDensity(points: Points, n: number): Float64Array {
      const out = new Float64Array(n);
      const y = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        let q = 0;
        for (let r = 0; r < d; r++) {
          let v = points[i * d + r] - m[r];
          for (let c = 0; c < r; c++) v -= l[r * d + c] * y[c];
          y[r] = v / l[r * d + r];
          q += y[r] * y[r];
        }
        out[i] = -0.5 * q + logNorm;
      }
      return out;
    },
  };
}
