/**
 * Eight Gaussians, FFJORD's convention exactly: centers 4 (cos theta_k, sin theta_k) for
 * theta_k = k pi / 4, std 0.5, and every point then divided by 1.414 (FFJORD's literal, not
 * sqrt 2). So the mixture has equal weights 1/8, centers on the circle of radius 4 / 1.414 = 2.8289
 * and std 0.5 / 1.414 = 0.3536:
 *
 *   log rho(x) = logsumexp_k [ -log 8 - |x - mu_k|^2 / (2 s^2) ] - log(2 pi s^2)
 */
import { isotropicMixture, mixtureToy } from '../gaussianMixture.js';
import type { Toy } from '../types.js';
import { PLOT_WINDOW } from './plotWindow.js';

/** FFJORD's scale of the unit-circle centers before the final division. */
const CENTER_SCALE = 4;
/** FFJORD's std of each component before the final division. */
const COMPONENT_STD = 0.5;
/** FFJORD divides every point by this literal. */
const FFJORD_DIVISOR = 1.414;

const h = 1 / Math.sqrt(2);
/** FFJORD's unit-circle centers, in its order. */
const UNIT_CENTERS = [[1, 0], [-1, 0], [0, 1], [0, -1], [h, h], [h, -h], [-h, h], [-h, -h]];

export const EIGHT_GAUSSIANS_MIXTURE = isotropicMixture(
  UNIT_CENTERS.map(([x, y]) => [(CENTER_SCALE * x) / FFJORD_DIVISOR, (CENTER_SCALE * y) / FFJORD_DIVISOR]),
  COMPONENT_STD / FFJORD_DIVISOR,
);

export const eightGaussians: Toy = mixtureToy(
  {
    name: '8gaussians',
    title: '8 Gaussians',
    description: 'Eight equal Gaussians (std 0.354) evenly spaced on a circle of radius 2.83; exact mixture density.',
    bbox: PLOT_WINDOW,
  },
  EIGHT_GAUSSIANS_MIXTURE,
);
