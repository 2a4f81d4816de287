/**
 * Two moons, as FFJORD builds them from scikit-learn's make_moons(noise=0.1), scaled by 2 and
 * shifted by (-1, -0.2). Each point picks a moon with probability 1/2 and an angle a ~ U(0, pi):
 *
 *   outer: (cos a, sin a),   inner: (1 - cos a, 1/2 - sin a),   plus N(0, 0.1^2 I)
 *   point = 2 (moon + noise) + (-1, -0.2)
 *
 * (make_moons spaces the angles on a grid; a uniform angle gives the same distribution.)
 * No closed-form density.
 */
import { Rng } from '../../random.js';
import { dataStream } from '../streams.js';
import type { Toy } from '../types.js';
import { PLOT_WINDOW } from './plotWindow.js';

/** make_moons noise std used by FFJORD. */
const MOON_NOISE = 0.1;
const SCALE = 2;
const SHIFT_X = -1;
const SHIFT_Y = -0.2;

export const moons: Toy = {
  name: 'moons',
  title: 'Two moons',
  description: 'Two interleaving half circles with Gaussian noise (scikit-learn make_moons, scaled as in FFJORD).',
  d: 2,
  bbox: PLOT_WINDOW,
  sample(n: number, seed: number): Float32Array {
    const rng = new Rng(seed, dataStream('moons'));
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const inner = rng.int(2) === 1;
      const a = Math.PI * rng.uniform();
      const x = inner ? 1 - Math.cos(a) : Math.cos(a);
      const y = inner ? 0.5 - Math.sin(a) : Math.sin(a);
      out[2 * i] = SCALE * (x + MOON_NOISE * rng.normal()) + SHIFT_X;
      out[2 * i + 1] = SCALE * (y + MOON_NOISE * rng.normal()) + SHIFT_Y;
    }
    return out;
  },
};
