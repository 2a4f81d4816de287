/**
 * Encode and decode real images: held-out images of an image run's dataset (by index) are
 * integrated data -> base (t = tMax -> 0, the reverse direction) and back (0 -> tMax) with one
 * ODE solver, and each image's cycle error is reported as the RMS of reconstruction - original in
 * pixel scale [0, 1] (training values x in [-1, 1] are pixels 2 p - 1, so RMS_pixels = RMS_x / 2).
 * An exact solver reproduces each image; the error left measures the solver's discretisation (and,
 * for a net that is not a true flow map, nothing else: the same field runs both ways).
 */
import { UserError } from '../errors.js';
import { isSdeSolver, MAX_CYCLE_IMAGES, type SolverName } from '../api/schemas.js';
import { PIXEL_LEVELS } from '../engine/data/images/index.js';
import type { Backend } from '../engine/onnx/runtime.js';
import type { Store } from '../store/index.js';
import { loadImageRunData } from './imageRunData.js';
import { loadRunWeights } from './runModel.js';
import { sampleRun } from './sample.js';

export interface EncodeDecodeOptions {
  store: Store;
  runId: string;
  /** Held-out image indices, 0 .. (held-out count - 1). */
  indices: number[];
  solver: SolverName;
  steps?: number;
  rtol?: number;
  atol?: number;
  backend?: Backend | 'auto';
  threads?: number;
}

export interface EncodeDecodeResult {
  n: number;
  d: number;
  /** One image's shape [C, H, W]. */
  shape: number[];
  /** The held-out images at their pixel levels' centres, in the flow's scale [-1, 1]. */
  original: Float32Array;
  /** Their codes in the base (t = 0). */
  noise: Float32Array;
  /** The codes decoded back (t = tMax). */
  reconstruction: Float32Array;
  /** Per image: RMS of reconstruction - original in pixel scale [0, 1]. */
  rms: number[];
  /** Net evaluations of both solves together. */
  nfe: number;
  seconds: number;
}

/** Per-row RMS of a - b, [n, d] row-major, in float64. */
export function rowRms(a: Float32Array, b: Float32Array, n: number, d: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = i * d; j < (i + 1) * d; j++) s += (a[j] - b[j]) ** 2;
    return Math.sqrt(s / d);
  });
}

/** Held-out images by index at their pixel levels' centres: x = 2 (k + 1/2) / 256 - 1. */
async function heldOutByIndex(config: Parameters<typeof loadImageRunData>[0], indices: number[]): Promise<{ x: Float32Array; d: number }> {
  const { test } = await loadImageRunData(config);
  const d = test.c * test.h * test.w;
  const x = new Float32Array(indices.length * d);
  indices.forEach((r, i) => {
    if (!(Number.isInteger(r) && r >= 0 && r < test.n)) {
      throw new UserError(`indices[${i}] is ${r}; this run holds out ${test.n} images, so an index runs from 0 to ${test.n - 1}`, 'indices');
    }
    for (let j = 0; j < d; j++) x[i * d + j] = (2 * (test.pixels[r * d + j] + 0.5)) / PIXEL_LEVELS - 1;
  });
  return { x, d };
}

export async function encodeDecode(o: EncodeDecodeOptions): Promise<EncodeDecodeResult> {
  const started = performance.now();
  if (!Array.isArray(o.indices) || o.indices.length < 1 || o.indices.length > MAX_CYCLE_IMAGES) {
    throw new UserError(`indices must list 1 to ${MAX_CYCLE_IMAGES} held-out images, got ${o.indices?.length ?? 0}`, 'indices');
  }
  if (isSdeSolver(o.solver)) throw new UserError(`encoding needs an ODE solver (euler, heun, midpoint, rk4, dopri5); ${o.solver} is stochastic and does not run backwards`, 'solver');
  const w = loadRunWeights(o.store, o.runId);
  if (w.shape.length !== 3) throw new UserError(`run ${w.run.id} samples ${w.net.dim}-D points, not images; encode and decode take an image run`, 'runId');
  const { x: original, d } = await heldOutByIndex(w.config, o.indices);
  const n = o.indices.length;
  const common = { store: o.store, runId: o.runId, n, solver: o.solver, steps: o.steps, rtol: o.rtol, atol: o.atol, backend: o.backend, threads: o.threads, save: false };
  const enc = await sampleRun({ ...common, reverse: true, input: original });
  const dec = await sampleRun({ ...common, input: enc.x });
  // the flow's scale [-1, 1] is twice pixel scale [0, 1]
  const rms = rowRms(dec.x, original, n, d).map((r) => r / 2);
  return {
    n, d, shape: w.shape, original, noise: enc.x, reconstruction: dec.x, rms,
    nfe: enc.nfe + dec.nfe, seconds: (performance.now() - started) / 1000,
  };
}
