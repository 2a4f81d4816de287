/**
 * A Gaussian target or base with the user's mean and covariance, written as a dataset spec
 * (`--dataset`, `--base`, the wizard): `gaussian:MEAN[:COV]`, in any dimension d = the mean's length.
 *
 *   gaussian:1,-2                N((1, -2), I)
 *   gaussian:1,-2:0.5            N((1, -2), 0.5 I)                    one number: a variance
 *   gaussian:1,-2:2,0.5          N((1, -2), diag(2, 0.5))             d numbers: the diagonal
 *   gaussian:1,-2:2,0.3,0.3,1    N((1, -2), [[2, 0.3], [0.3, 1]])     d x d numbers, row-major
 *
 * The grammar and its checks live with the config schema (api/gaussianSpec.ts); this adds
 * sampling and the density. Plain `gaussian` stays the 2-D standard normal toy. The dataset
 * carries the exact log-density and entropy, so likelihoods and KL gaps are measured against the
 * truth (SCIENCE.md section 7).
 */
import { gaussianSpecParameters } from '../../api/gaussianSpec.js';
import { gaussian, type Gaussian } from './gaussian.js';
import type { BBox, Dataset } from './types.js';

export { GAUSSIAN_SPEC_PREFIX, MAX_GAUSSIAN_SPEC_DIM, isGaussianSpec } from '../../api/gaussianSpec.js';

/** Half-width of the plot window in standard deviations. */
const BBOX_SDS = 4;

/** The Gaussian a `gaussian:MEAN[:COV]` spec names; a UserError saying what is wrong otherwise. */
export function parseGaussianSpec(spec: string): Gaussian {
  const p = gaussianSpecParameters(spec);
  return gaussian(p.mean, p.cov);
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
