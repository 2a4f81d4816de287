/**
 * Two spirals, FFJORD's "2spirals": a radius-angle r = sqrt(u) * 3 pi (u ~ U(0, 1), i.e. up to
 * 540 degrees), a uniform jitter in [0, 0.5)^2, a random sign choosing the spiral, a division
 * by 3 and Gaussian noise of std 0.1:
 *
 *   p = s (-r cos r + 0.5 u1, r sin r + 0.5 u2) / 3 + N(0, 0.1^2 I),   s = +-1
 *
 * No closed-form density.
 */
import { Rng } from '../../random.js';
import { dataStream } from '../streams.js';
import type { Toy } from '../types.js';
import { PLOT_WINDOW } from './plotWindow.js';

/** 540 degrees in radians: how far each spiral winds. */
const MAX_ANGLE = (540 * 2 * Math.PI) / 360;
const JITTER = 0.5;
const SHRINK = 3;
const NOISE = 0.1;

export const spirals: Toy = {
  name: 'spirals',
  title: 'Two spirals',
  description: 'Two interleaved spirals winding 1.5 turns, with noise (FFJORD 2spirals).',
  d: 2,
  bbox: PLOT_WINDOW,
  sample(n: number, seed: number): Float32Array {
    const rng = new Rng(seed, dataStream('spirals'));
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(rng.uniform()) * MAX_ANGLE;
      const sign = rng.int(2) === 0 ? 1 : -1;
      const x = -Math.cos(r) * r + JITTER * rng.uniform();
      const y = Math.sin(r) * r + JITTER * rng.uniform();
      out[2 * i] = (sign * x) / SHRINK + NOISE * rng.normal();
      out[2 * i + 1] = (sign * y) / SHRINK + NOISE * rng.normal();
    }
    return out;
  },
};
