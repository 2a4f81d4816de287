/**
 * Isotropic Gaussian mixtures: rho(x) = sum_k w_k N(x; mu_k, s^2 I) in d dimensions. The toys
 * built from it (8 Gaussians, rings) get an exact log-density:
 *
 *   log rho(x) = logsumexp_k [ log w_k - |x - mu_k|^2 / (2 s^2) ] - (d/2) log(2 pi s^2)
 */
import { UserError } from '../../errors.js';
import { Rng } from '../random.js';
import { dataStream } from './streams.js';
import type { BBox, Points, Toy } from './types.js';

/** Terms below e^-40 times the largest add < 1e-15 relative even summed over 1000s of components: skip their exp. */
const NEGLIGIBLE_LOG_RATIO = -40;

export interface IsotropicMixture {
  d: number;
  /** Row-major [K, d] component means. */
  centers: Float64Array;
  /** K weights summing to 1. */
  weights: Float64Array;
  /** Common standard deviation s of every component. */
  std: number;
}

/** A mixture from centers [K, d], a std and optional weights (default equal); weights are normalised. */
export function isotropicMixture(centers: number[][], std: number, weights?: number[]): IsotropicMixture {
  const k = centers.length;
  if (k === 0) throw new UserError('a Gaussian mixture needs at least one center');
  const d = centers[0].length;
  if (!(std > 0)) throw new UserError(`mixture std must be > 0, got ${std}`);
  const w = weights ?? centers.map(() => 1);
  if (w.length !== k) throw new UserError(`mixture has ${k} centers but ${w.length} weights; give one weight per center`);
  const total = w.reduce((a, b) => a + b, 0);
  return {
    d,
    centers: Float64Array.from(centers.flat()),
    weights: Float64Array.from(w, (x) => x / total),
    std,
  };
}

/** n points: component k with probability w_k (inverse CDF of one uniform), then mu_k + s z. */
export function sampleMixture(m: IsotropicMixture, n: number, rng: Rng): Float32Array {
  const { d, centers, weights, std } = m;
  const k = weights.length;
  const cumulative = new Float64Array(k);
  let acc = 0;
  for (let j = 0; j < k; j++) cumulative[j] = acc += weights[j];
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u <= cumulative[mid]) hi = mid;
      else lo = mid + 1;
    }
    for (let c = 0; c < d; c++) out[i * d + c] = centers[lo * d + c] + std * rng.normal();
  }
  return out;
}

/** Exact log-density of each of the n points (formula in the file comment), computed in float64. */
export function mixtureLogDensity(m: IsotropicMixture, points: Points, n: number): Float64Array {
  const { d, centers, weights, std } = m;
  const k = weights.length;
  const logW = Float64Array.from(weights, Math.log);
  const inv2s2 = 1 / (2 * std * std);
  const logNorm = -0.5 * d * Math.log(2 * Math.PI * std * std);
  const terms = new Float64Array(k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let j = 0; j < k; j++) {
      let r2 = 0;
      for (let c = 0; c < d; c++) {
        const diff = points[i * d + c] - centers[j * d + c];
        r2 += diff * diff;
      }
      const t = logW[j] - r2 * inv2s2;
      terms[j] = t;
      if (t > best) best = t;
    }
    let s = 0;
    for (let j = 0; j < k; j++) if (terms[j] - best > NEGLIGIBLE_LOG_RATIO) s += Math.exp(terms[j] - best);
    out[i] = best + Math.log(s) + logNorm;
  }
  return out;
}

/** A 2-D toy that is a Gaussian mixture: seeded sampler and exact log-density from one table. */
export function mixtureToy(meta: { name: string; title: string; description: string; bbox: BBox }, mixture: IsotropicMixture): Toy {
  return {
    ...meta,
    d: 2,
    sample(n: number, seed: number): Float32Array {
      return sampleMixture(mixture, n, new Rng(seed, dataStream(meta.name)));
    },
    logDensity(points: Points, n: number): Float64Array {
      return mixtureLogDensity(mixture, points, n);
    },
  };
}
