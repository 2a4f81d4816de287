/**
 * A Gaussian target or base with the user's mean and covariance, written as a dataset spec
 * (`--dataset`, `--base`, the wizard): `gaussian:MEAN[:COV]`, in any dimension d = the mean's length.
 *
 *   gaussian:1,-2                N((1, -2), I)
 *   gaussian:1,-2:0.5            N((1, -2), 0.5 I)                    one number: a variance
 *   gaussian:1,-2:2,0.5          N((1, -2), diag(2, 0.5))             d numbers: the diagonal
 *   gaussian:1,-2:2,0.3,0.3,1    N((1, -2), [[2, 0.3], [0.3, 1]])     d x d numbers, row-major
 *
 * Plain `gaussian` stays the 2-D standard normal toy. The dataset carries the exact log-density
 * and entropy, so likelihoods and KL gaps are measured against the truth (SCIENCE.md section 7).
 */
import { UserError } from '../../errors.js';
import { gaussian, type Gaussian } from './gaussian.js';
import type { BBox, Dataset } from './types.js';

export const GAUSSIAN_SPEC_PREFIX = 'gaussian:';
/** Largest dimension a spec may give (a d x d covariance is typed by hand). */
export const MAX_GAUSSIAN_SPEC_DIM = 64;
/** Half-width of the plot window in standard deviations. */
const BBOX_SDS = 4;

const HINT =
  'write gaussian:MEAN[:COV], e.g. gaussian:1,-2:2,0.3,0.3,1 (COV is one variance, the d diagonal entries, or all d x d entries row by row)';

export function isGaussianSpec(spec: string): boolean {
  return spec.trim().toLowerCase().startsWith(GAUSSIAN_SPEC_PREFIX);
}

/** The Gaussian a `gaussian:MEAN[:COV]` spec names; a UserError saying what is wrong otherwise. */
export function parseGaussianSpec(spec: string): Gaussian {
  const text = spec.trim();
  const parts = text.slice(GAUSSIAN_SPEC_PREFIX.length).split(':');
  if (parts.length > 2 || parts[0].trim() === '') throw new UserError(`'${text}' is not a Gaussian spec; ${HINT}`);
  const numbers = (list: string, what: string): number[] =>
    list.split(',').map((s) => {
      const t = s.trim();
      const x = t === '' ? Number.NaN : Number(t);
      if (!Number.isFinite(x)) throw new UserError(`'${text}': the ${what} entry '${t}' is not a finite number; ${HINT}`);
      return x;
    });
  const mean = numbers(parts[0], 'mean');
  const d = mean.length;
  if (d > MAX_GAUSSIAN_SPEC_DIM) {
    throw new UserError(`'${text}': a mean of ${d} entries is more than ${MAX_GAUSSIAN_SPEC_DIM} dimensions; import the data as a .npy file instead`);
  }
  let cov: number[] | undefined;
  if (parts.length === 2) {
    const c = numbers(parts[1], 'covariance');
    if (c.length === d * d) cov = c;
    else if (c.length === 1 || c.length === d) cov = diagonal(d, (i) => (c.length === 1 ? c[0] : c[i]));
    else {
      throw new UserError(
        `'${text}': the covariance has ${c.length} entries; a ${d}-dimensional mean takes 1 (a variance), ${d} (the diagonal) or ${d * d} (the full matrix)`,
      );
    }
  }
  try {
    return gaussian(mean, cov);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`'${text}': ${e.message}`);
    throw e;
  }
}

function diagonal(d: number, entry: (i: number) => number): number[] {
  const m = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) m[i * d + i] = entry(i);
  return m;
}

/** n points of the spec's Gaussian drawn from the seed, with its exact density and entropy. */
export function gaussianDataset(spec: string, n: number, seed: number): Dataset {
  const g = parseGaussianSpec(spec);
  const name = spec.trim();
  const dataset: Dataset = {
    name,
    data: g.sample(n, seed),
    n,
    d: g.d,
    columns: g.d === 2 ? ['x', 'y'] : Array.from({ length: g.d }, (_, i) => `x${i + 1}`),
    source: name,
    logDensity: (points, count) => g.logDensity(points, count),
    entropy: { value: g.entropy, exact: true },
  };
  if (g.d >= 2) dataset.bbox = gaussianBBox(g);
  return dataset;
}

/** Mean +- BBOX_SDS standard deviations in the first two coordinates. */
function gaussianBBox(g: Gaussian): BBox {
  const half = (i: number) => BBOX_SDS * Math.sqrt(g.cov[i * g.d + i]);
  return { xMin: g.mean[0] - half(0), xMax: g.mean[0] + half(0), yMin: g.mean[1] - half(1), yMax: g.mean[1] + half(1) };
}
