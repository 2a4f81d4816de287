/**
 * Random streams the data layer draws from. A dataset's points use a stream derived from its
 * name, so two toys drawn with one seed (say a data-to-data run from 8gaussians to checkerboard)
 * are independent, and none of them shares a stream with training draws made from the same seed.
 */
import { lowbias32 } from '../random.js';

/** Tag mixed into every data stream, keeping them apart from streams other modules number 0, 1, 2... */
const DATA_STREAM_TAG = 0xda7a0000;

/** Stream id of a named data source: a lowbias32 chain over the UTF-16 codes of its name. */
export function dataStream(name: string): number {
  let h = DATA_STREAM_TAG;
  for (let i = 0; i < name.length; i++) h = lowbias32((h ^ name.charCodeAt(i)) >>> 0);
  return h >>> 0;
}

/** Stream of the shuffle that splits train from held-out rows. */
export const SPLIT_STREAM = dataStream('split held out');
/** Stream of the shuffle that subsamples a file to the requested size. */
export const SUBSAMPLE_STREAM = dataStream('subsample rows');
/** Added to the seed of Monte Carlo entropy estimates, so they use points other than the training points. */
export const ENTROPY_SEED_OFFSET = 0x9e3779b9;
