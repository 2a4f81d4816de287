/**
 * Each of a few images of an image run beside its nearest training image (memorization at a
 * glance): the run's own training split, rebuilt from its config, searched by exact L2 distance in
 * the pixel scale [0, 1] (engine/metrics/images/nearestNeighbours.ts), as the evaluation's
 * nearest-training figures measure it.
 */
import { UserError } from '../errors.js';
import { nearestTraining, pixelLevelsToUnit } from '../engine/metrics/images/index.js';
import type { Store } from '../store/index.js';
import { loadImageRunData } from './imageRunData.js';
import { loadRunWeights } from './runModel.js';

/** Threads of the search's products (the service shares the machine with training). */
const NEAREST_THREADS = 2;

export interface NearestImages {
  n: number;
  d: number;
  /** The nearest training image of each query, [n, d] in the training scale [-1, 1]. */
  neighbours: Float32Array;
  /** L2 distance to it in pixel units [0, 1]. */
  distances: number[];
  /** Its index among the run's training images. */
  indices: number[];
}

/** [-1, 1] training scale to pixel scale [0, 1], clipped as a picture shows it. */
export function trainingScaleToUnit(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.min(1, Math.max(0, (x[i] + 1) / 2));
  return out;
}

export async function nearestImages(store: Store, runId: string, x: Float32Array, n: number): Promise<NearestImages> {
  const w = loadRunWeights(store, runId);
  if (w.shape.length < 2) throw new UserError(`run ${runId} trains on ${w.shape[0]}-D points, not images; nearest training images are for image runs`, 'runId');
  const d = w.net.dim;
  if (x.length !== n * d) throw new UserError(`x holds ${x.length} numbers, expected n * ${d} = ${n * d} (n images of shape [${w.shape.join(', ')}])`, 'x');
  const data = await loadImageRunData(w.config);
  const train = pixelLevelsToUnit(data.train.pixels);
  const r = await nearestTraining(trainingScaleToUnit(x), train, d, NEAREST_THREADS);
  const neighbours = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const from = r.index[i] * d;
    for (let k = 0; k < d; k++) neighbours[i * d + k] = train[from + k] * 2 - 1;
  }
  return { n, d, neighbours, distances: Array.from(r.distance), indices: Array.from(r.index) };
}
