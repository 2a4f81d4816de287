/** The standard normal N(0, I) in 2-D: the usual base distribution, and a target with known everything. */
import { gaussian } from '../gaussian.js';
import type { Toy } from '../types.js';
import { PLOT_WINDOW } from './plotWindow.js';

const STANDARD_NORMAL_2D = gaussian([0, 0]);

export const standardGaussian: Toy = {
  name: 'gaussian',
  title: 'Standard Gaussian',
  description: 'Standard normal N(0, I) in 2-D; exact density, entropy 1 + ln(2 pi) = 2.838 nats.',
  d: 2,
  bbox: PLOT_WINDOW,
  entropy: STANDARD_NORMAL_2D.entropy,
  sample: (n, seed) => STANDARD_NORMAL_2D.sample(n, seed),
  logDensity: (points, n) => STANDARD_NORMAL_2D.logDensity(points, n),
};
