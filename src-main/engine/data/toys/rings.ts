/**
 * Rings: four concentric rings at FFJORD's radii 0.75, 1.5, 2.25, 3 with equal mass 1/4 each (as
 * FFJORD draws a quarter of the points per ring) and its noise std 0.08. Unlike FFJORD (uniform
 * angle plus noise, whose density needs a Bessel function) each ring here is a mixture of
 * 30 k equal Gaussians on ring k (k = 1..4), evenly spaced at angles 2 pi j / (30 k). Their
 * spacing (2 pi 0.75 / 30 = 0.157 ~ 2 std) makes the ring look continuous (ripple ~ 2 exp(-2 pi^2
 * s^2 / spacing^2) ~ 1%), and the density stays a closed-form mixture:
 *
 *   log rho(x) = logsumexp_{k,j} [ log(1 / (4 * 30 k)) - |x - mu_kj|^2 / (2 s^2) ] - log(2 pi s^2)
 */
import { isotropicMixture, mixtureToy } from '../gaussianMixture.js';
import type { Toy } from '../types.js';
import { PLOT_WINDOW } from './plotWindow.js';

/** FFJORD's ring radii: 3 x (0.25, 0.5, 0.75, 1). */
export const RING_RADII = [0.75, 1.5, 2.25, 3];
/** FFJORD's noise std around each ring. */
const RING_STD = 0.08;
/** Components per 0.75 of radius: keeps the spacing between neighbours near 2 std on every ring. */
const COMPONENTS_PER_RING_UNIT = 30;

function ringsMixture() {
  const centers: number[][] = [];
  const weights: number[] = [];
  RING_RADII.forEach((r, k) => {
    const m = COMPONENTS_PER_RING_UNIT * (k + 1);
    for (let j = 0; j < m; j++) {
      const a = (2 * Math.PI * j) / m;
      centers.push([r * Math.cos(a), r * Math.sin(a)]);
      weights.push(1 / (RING_RADII.length * m));
    }
  });
  return isotropicMixture(centers, RING_STD, weights);
}

export const RINGS_MIXTURE = ringsMixture();

export const rings: Toy = mixtureToy(
  {
    name: 'rings',
    title: 'Rings',
    description: 'Four concentric rings (radii 0.75 to 3, equal mass) made of Gaussians placed on circles; exact mixture density.',
    bbox: PLOT_WINDOW,
  },
  RINGS_MIXTURE,
);
