/**
 * Swiss roll seen from its axis, as FFJORD takes it from scikit-learn's
 * make_swiss_roll(noise=1.0): columns (x, z) of the 3-D roll, divided by 5:
 *
 *   t ~ 1.5 pi (1 + 2 U(0, 1)),   p = (t cos t + z1, t sin t + z2) / 5,   z ~ N(0, I)
 *
 * No closed-form density.
 */
import { Rng } from '../../random.js';
import { dataStream } from '../streams.js';
import type { Toy } from '../types.js';
import { PLOT_WINDOW } from './plotWindow.js';

const NOISE = 1.0;
const SHRINK = 5;

export const swissroll: Toy = {
  name: 'swissroll',
  title: 'Swiss roll',
  description: 'A 2-D spiral band: the swiss roll (scikit-learn make_swiss_roll) seen along its axis.',
  d: 2,
  bbox: PLOT_WINDOW,
  sample(n: number, seed: number): Float32Array {
    const rng = new Rng(seed, dataStream('swissroll'));
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const t = 1.5 * Math.PI * (1 + 2 * rng.uniform());
      out[2 * i] = (t * Math.cos(t) + NOISE * rng.normal()) / SHRINK;
      out[2 * i + 1] = (t * Math.sin(t) + NOISE * rng.normal()) / SHRINK;
    }
    return out;
  },
};
