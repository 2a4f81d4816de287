/** The registry of 2-D toys, by the name users type (`--dataset checkerboard`). */
import { UserError } from '../../errors.js';
import { checkerboard } from './toys/checkerboard.js';
import { eightGaussians } from './toys/eightGaussians.js';
import { moons } from './toys/moons.js';
import { pinwheel } from './toys/pinwheel.js';
import { rings } from './toys/rings.js';
import { spirals } from './toys/spirals.js';
import { standardGaussian } from './toys/standardGaussian.js';
import { swissroll } from './toys/swissroll.js';
import type { Toy } from './types.js';

export const TOYS: Readonly<Record<string, Toy>> = Object.freeze(
  Object.fromEntries(
    [checkerboard, eightGaussians, moons, spirals, rings, pinwheel, swissroll, standardGaussian].map((t) => [t.name, t]),
  ),
);

export const TOY_NAMES: readonly string[] = Object.keys(TOYS);

export function isToyName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(TOYS, name);
}

/** The toy called `name`; a UserError listing the valid names when there is none. */
export function getToy(name: string): Toy {
  if (!isToyName(name)) {
    throw new UserError(`unknown toy dataset '${name}'; choose one of ${TOY_NAMES.join(', ')}`);
  }
  return TOYS[name];
}
