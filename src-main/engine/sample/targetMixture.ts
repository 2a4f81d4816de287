/**
 * The targets whose exact field from a standard Gaussian base is known in closed form
 * (`mixtureField.ts`): the Gaussian-mixture toys (8gaussians, rings), the standard Gaussian toy,
 * and a user's gaussian:MEAN[:COV]. Null for every other target (moons, files, ...).
 *
 *   const components = targetMixture('8gaussians');   // 8 components, std 0.5 each
 */
import { gaussianSpecParameters, isGaussianSpec } from '../../api/gaussianSpec.js';
import type { IsotropicMixture } from '../data/gaussianMixture.js';
import { EIGHT_GAUSSIANS_MIXTURE } from '../data/toys/eightGaussians.js';
import { RINGS_MIXTURE } from '../data/toys/rings.js';
import { isotropicComponents, type MixtureComponent } from './mixtureField.js';

const STANDARD_NORMAL_2D: IsotropicMixture = { d: 2, centers: new Float64Array(2), weights: Float64Array.of(1), std: 1 };

const TOY_MIXTURES: Record<string, IsotropicMixture> = {
  '8gaussians': EIGHT_GAUSSIANS_MIXTURE,
  rings: RINGS_MIXTURE,
  gaussian: STANDARD_NORMAL_2D,
};

export function targetMixture(spec: string): MixtureComponent[] | null {
  const name = spec.trim().toLowerCase();
  if (name in TOY_MIXTURES) return isotropicComponents(TOY_MIXTURES[name]);
  if (isGaussianSpec(spec)) {
    const p = gaussianSpecParameters(spec);
    return [{ weight: 1, mean: p.mean, cov: p.cov }];
  }
  return null;
}
