/**
 * Pinwheel, FFJORD's version: 5 arms. Each point picks an arm c ~ U{0..4}, draws
 * f = (1 + 0.3 z1, 0.1 z2) (radial and tangential noise), bends it by the angle
 * a = 2 pi c / 5 + 0.25 exp(f1) and scales by 2:
 *
 *   p = 2 (f1 cos a + f2 sin a, -f1 sin a + f2 cos a)
 *
 * No closed-form density.
 */
import { Rng } from '../../random.js';
import { dataStream } from '../streams.js';
import type { Toy } from '../types.js';
import { PLOT_WINDOW } from './plotWindow.js';

const ARMS = 5;
const RADIAL_STD = 0.3;
const TANGENTIAL_STD = 0.1;
/** How strongly an arm bends with distance from the center. */
const BEND_RATE = 0.25;
const SCALE = 2;

export const pinwheel: Toy = {
  name: 'pinwheel',
  title: 'Pinwheel',
  description: 'Five curved arms radiating from the center (FFJORD pinwheel).',
  d: 2,
  bbox: PLOT_WINDOW,
  sample(n: number, seed: number): Float32Array {
    const rng = new Rng(seed, dataStream('pinwheel'));
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const arm = rng.int(ARMS);
      const f1 = 1 + RADIAL_STD * rng.normal();
      const f2 = TANGENTIAL_STD * rng.normal();
      const a = (2 * Math.PI * arm) / ARMS + BEND_RATE * Math.exp(f1);
      const c = Math.cos(a);
      const s = Math.sin(a);
      out[2 * i] = SCALE * (f1 * c + f2 * s);
      out[2 * i + 1] = SCALE * (-f1 * s + f2 * c);
    }
    return out;
  },
};
