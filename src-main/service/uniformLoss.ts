/**
 * A loss figure runs can be compared by. The per-step training loss is a batch mean over t drawn
 * by the run's time sampling ('late' weights t near 1, where the regression error differs), its
 * minimum (`bestLoss`) is the least of noisy single batches, and its OT-coupled version regresses
 * onto other pairs. This figure fixes all of that but the interpolant:
 *
 *   L_uniform = E_{t ~ U(0, tMax)} E |v_ema(t, x_t) - (a' x0 + b' x1 + gamma' z)|^2,
 *               x1 held-out rows, x0 (base draws or base rows) and z drawn independently,
 *
 * t stratified over UNIFORM_LOSS_TIMES strata with the same draws for every run of one seed, the
 * EMA weights (what samples use). It still has the interpolant's irreducible floor (the variance
 * of dI/dt given x_t), so across interpolants compare the KL gap or the field error instead.
 */
import { numbers } from '../engine/interpolants/algebra.js';
import { pathPoint } from '../engine/interpolants/path.js';
import { coefficientsAt } from '../engine/interpolants/schedules.js';
import { resolveBackend } from '../engine/onnx/runtime.js';
import { Rng } from '../engine/random.js';
import { meanStdErr } from '../engine/metrics/index.js';
import { NetSampler } from '../engine/sample/netSampler.js';
import type { Store } from '../store/index.js';
import { loadRunData } from './runData.js';
import { loadRunWeights } from './runModel.js';

/** Time strata and points: standard error about 1% of the value on the 2-D toys. */
export const UNIFORM_LOSS_TIMES = 16;
export const UNIFORM_LOSS_POINTS = 4096;
export const UNIFORM_LOSS_METRIC = 'loss_uniform';
const UNIFORM_LOSS_STREAM = 0x554e4946; // "UNIF"

/** L_uniform of a run's latest checkpoint (see the header), with its standard error over the points. */
export async function uniformTimeLoss(store: Store, runId: string): Promise<{ value: number; stdErr: number; step: number }> {
  const w = loadRunWeights(store, runId);
  if (w.shape.length > 1) throw new Error('the uniform-t loss is measured on point data; image runs report bits/dim instead');
  const data = loadRunData(w.config);
  const it = w.interpolant;
  const d = w.net.dim;
  const m = UNIFORM_LOSS_POINTS / UNIFORM_LOSS_TIMES;
  const rng = new Rng(w.config.train.seed, UNIFORM_LOSS_STREAM);
  const sampler = new NetSampler(w.net, w.params, await resolveBackend(w.config.backend, 'solve'), w.config.threads);
  const errors = new Float64Array(UNIFORM_LOSS_POINTS);
  try {
    const v = sampler.velocity();
    for (let k = 0; k < UNIFORM_LOSS_TIMES; k++) {
      const t = ((k + rng.uniform()) / UNIFORM_LOSS_TIMES) * it.tMax;
      const c = coefficientsAt(it, t);
      const xt = new Float32Array(m * d);
      const target = new Float64Array(m * d);
      for (let p = 0; p < m; p++) {
        const r1 = rng.int(data.test.n);
        const r0 = data.base ? rng.int(data.base.n) : 0;
        for (let j = 0; j < d; j++) {
          const x0 = data.base ? data.base.data[r0 * d + j] : rng.normal();
          const z = it.latentNoise ? rng.normal() : null;
          const q = pathPoint(numbers, c, x0, data.test.data[r1 * d + j], z);
          xt[p * d + j] = q.xt;
          target[p * d + j] = q.dxt;
        }
      }
      const out = await v(t, xt, m, d);
      for (let p = 0; p < m; p++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (out[p * d + j] - target[p * d + j]) ** 2;
        errors[k * m + p] = s;
      }
    }
  } finally {
    await sampler.release();
  }
  const r = meanStdErr(errors);
  // the loss is a mean over t in [0, tMax], as training's (whose t also spans [0, tMax])
  return { value: r.mean, stdErr: r.stdErr, step: w.step };
}
