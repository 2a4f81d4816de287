/**
 * Train / held-out split of images, the same rule as the 2-D split (../split.ts): a seeded random
 * set of round(fraction n) images (at least 1, leaving at least 1) is held out, chosen by the same
 * shuffle on the same stream, so the held-out indices of n images equal those of n rows; both
 * parts keep the images' original order and their labels.
 */
import { UserError } from '../../../errors.js';
import { Rng } from '../../random.js';
import { chooseRows } from '../rowSelection.js';
import { DEFAULT_HELD_OUT } from '../split.js';
import { SPLIT_STREAM } from '../streams.js';
import { type ImageDataset, imageSize } from './imageDataset.js';

export function splitImages(ds: ImageDataset, fraction = DEFAULT_HELD_OUT, seed = 0): { train: ImageDataset; test: ImageDataset } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new UserError(`held-out fraction must lie strictly between 0 and 1, got ${fraction}; the default is ${DEFAULT_HELD_OUT}`);
  }
  const { n } = ds;
  if (n < 2) throw new UserError(`${ds.source}: ${n} image${n === 1 ? '' : 's'}, too few to split into train and held-out sets; give at least 2`);
  const nTest = Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
  const held = chooseRows(n, nTest, new Rng(seed, SPLIT_STREAM));
  return { train: pickImages(ds, held, 0), test: pickImages(ds, held, 1) };
}

/** The images whose mask entry equals `want`, in their original order, with their labels. */
export function pickImages(ds: ImageDataset, mask: Uint8Array, want: 0 | 1): ImageDataset {
  const d = imageSize(ds);
  let count = 0;
  for (let i = 0; i < ds.n; i++) if (mask[i] === want) count++;
  const pixels = new Uint8Array(count * d);
  const labels = ds.labels ? new Uint8Array(count) : undefined;
  let r = 0;
  for (let i = 0; i < ds.n; i++) {
    if (mask[i] !== want) continue;
    pixels.set(ds.pixels.subarray(i * d, (i + 1) * d), r * d);
    if (labels && ds.labels) labels[r] = ds.labels[i];
    r++;
  }
  const part: ImageDataset = { ...ds, pixels, n: count };
  if (labels) part.labels = labels;
  else delete part.labels;
  return part;
}
