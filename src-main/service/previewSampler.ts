/**
 * Live samples while a run trains: every PREVIEW_INTERVAL_MS the EMA weights are copied into
 * one parameter buffer and a fixed batch of base noise is pushed through the flow with RK4. The
 * same noise every time, so the picture evolves instead of flickering; one solver session for
 * the whole training (the weights are an input of the fused program, not baked in).
 * Image runs draw a small gallery less often (a U-Net solve costs seconds, not milliseconds);
 * their samples are stored with their shape and the noise's (seed, stream), so the app can show
 * the same images at every step.
 */
import type { Store } from '../store/index.js';
import type { EngineEvent } from '../api/events.js';
import type { ExperimentConfig } from '../api/config.js';
import type { TrainState } from '../engine/train/trainSession.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import { isUnet, sampleShape, type NetSpec } from '../engine/nets/velocityNet.js';
import { resolveBackend } from '../engine/onnx/runtime.js';
import { NetSampler } from '../engine/sample/netSampler.js';
import { Rng } from '../engine/random.js';

/** Time between previews: frequent enough to watch the shape form, cheap next to training. */
export const PREVIEW_INTERVAL_MS = 2000;
/** Points per preview: shows the shape of a 2-D toy clearly and costs a few ms to solve. */
export const PREVIEW_POINTS = 1000;
/** RK4 steps per preview: plotting accuracy, not measurement accuracy. */
const PREVIEW_STEPS = 20;
/** Image previews: a 4 x 4 gallery every 30 s with 10 RK4 steps (about a tenth of the training time). */
export const PREVIEW_IMAGES = 16;
export const PREVIEW_IMAGE_INTERVAL_MS = 30_000;
/** Overrides the image preview interval (ms): short demos and browser tests watch a gallery change within seconds. */
export const PREVIEW_IMAGE_INTERVAL_ENV = 'FLOWLAB_IMAGE_PREVIEW_MS';

/** Overrides the point preview interval (ms): a browser test's short run still records several previews. */
export const PREVIEW_INTERVAL_ENV = 'FLOWLAB_PREVIEW_MS';

function intervalFrom(env: string, fallback: number): number {
  const ms = Number(process.env[env]);
  return Number.isFinite(ms) && ms > 0 ? ms : fallback;
}

function imagePreviewInterval(): number {
  return intervalFrom(PREVIEW_IMAGE_INTERVAL_ENV, PREVIEW_IMAGE_INTERVAL_MS);
}
const PREVIEW_IMAGE_STEPS = 10;
const PREVIEW_STREAM = 0x50524556; // "PREV"

export class PreviewSampler {
  private last = -Infinity;
  private sampler: NetSampler | null = null;
  private params: Float32Array | null = null;
  private x0: Float32Array | null = null;
  private spec: NetSpec | null = null;
  private count = PREVIEW_POINTS;
  private steps = PREVIEW_STEPS;
  private interval = intervalFrom(PREVIEW_INTERVAL_ENV, PREVIEW_INTERVAL_MS);
  private tMax = 1;
  private disabled = false;

  constructor(private readonly store: Store, private readonly emit: (e: EngineEvent) => void) {}

  /** `config` and `net` are the training's own: the net's dimension is the data's. */
  async maybeSample(runId: string, state: TrainState, config: ExperimentConfig, net: NetSpec): Promise<void> {
    if (this.disabled || performance.now() - this.last < this.interval) return;
    this.last = performance.now();
    try {
      if (!this.sampler) await this.prepare(config, net, state);
      if (!this.sampler || !this.spec) return;
      this.params!.set(state.ema);
      const d = this.spec.dim;
      const n = this.count;
      const r = await this.sampler.solve(this.x0!, n, { solver: 'rk4', steps: this.steps, t0: 0, t1: this.tMax });
      const meta = { step: state.step, shape: sampleShape(this.spec), noise: { seed: config.train.seed, stream: PREVIEW_STREAM } };
      this.store.saveSamples(runId, { kind: 'preview', n, d, data: r.x, meta });
      this.emit({ type: 'samples', runId, step: state.step, n, d, data: r.x });
      // the first image preview waits for its interval from the first sample, not from the start
      this.last = performance.now();
    } catch {
      // A preview is a view, never a reason to disturb the training: stop drawing them.
      this.disabled = true;
    }
  }

  private async prepare(config: ExperimentConfig, net: NetSpec, state: TrainState): Promise<void> {
    if (config.base !== 'gaussian') {
      this.disabled = true;
      return;
    }
    const dim = net.dim;
    this.spec = net;
    this.tMax = getInterpolant(config.interpolant).tMax;
    this.params = new Float32Array(state.ema.length);
    if (isUnet(net) || dim > 16) [this.count, this.steps, this.interval] = [PREVIEW_IMAGES, PREVIEW_IMAGE_STEPS, imagePreviewInterval()];
    this.x0 = new Rng(config.train.seed, PREVIEW_STREAM).fillNormal(new Float32Array(this.count * dim)) as Float32Array;
    // Previews run inside the training process, between its chunks: on the training's backend.
    this.sampler = new NetSampler(this.spec, this.params, await resolveBackend(config.backend, 'train'), 1);
  }

  async release(): Promise<void> {
    await this.sampler?.release();
    this.sampler = null;
  }
}
