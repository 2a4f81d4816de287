/**
 * The live field error of a training (SCIENCE.md section 7, engine/sample/fieldError.ts): for a
 * target with an exact field from the Gaussian base (`targetMixture`) and independent pairs, every FIELD_ERROR_EVERY
 * steps (and at the first and last chunk) E|v_ema(t, x_t) - v*(t, x_t)|^2 of the EMA weights (the
 * ones sampling uses) is measured on the same FIELD_ERROR_POINTS draws each time, so the curve
 * shows the net changing rather than the draws; it is stored as the metric series 'field_error'
 * and pushed as a 'metric' event. Unlike the loss it has no floor: 0 means the exact field.
 * One measurement is 8 net calls of 128 points and the exact field on 1024: 50-230 ms for the
 * default net on the shared 2-core CPU (about 15 ms of it the exact field), so measurements are
 * spaced in time as well as in steps (FIELD_ERROR_TIME_RATIO).
 */
import type { EngineEvent } from '../api/events.js';
import type { ExperimentConfig } from '../api/config.js';
import type { Store } from '../store/index.js';
import type { TrainState } from '../engine/train/trainSession.js';
import type { MlpSpec } from '../engine/nets/mlp.js';
import type { NetSpec } from '../engine/nets/velocityNet.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import { resolveBackend } from '../engine/onnx/runtime.js';
import { fieldError } from '../engine/sample/fieldError.js';
import { mixtureField, type MixtureComponent, type MixtureField } from '../engine/sample/mixtureField.js';
import { NetSampler } from '../engine/sample/netSampler.js';
import { targetMixture } from '../engine/sample/targetMixture.js';

/** Fewest steps between two measurements: at most 80 points on a 20k-step run. */
export const FIELD_ERROR_EVERY = 250;
/**
 * And at least this many times the last measurement's wall time between two, so measuring costs
 * at most 1/50 = 2% of the training's time whatever the batch and net (a fast small-batch run
 * measures less often in steps).
 */
export const FIELD_ERROR_TIME_RATIO = 50;
/** Points per measurement (8 times x 128): standard error a few percent of the value. */
export const FIELD_ERROR_POINTS = 1024;
export const FIELD_ERROR_METRIC = 'field_error';

export class FieldErrorMonitor {
  private sampler: NetSampler | null = null;
  private params: Float32Array | null = null;
  private exact: MixtureField | null = null;
  private components: MixtureComponent[] | null = null;
  private lastStep = -Infinity;
  private notBefore = 0;
  private measured = 0;
  private disabled = false;
  /** The latest value measured (null before the first, or for a target without an exact field). */
  last: number | null = null;

  constructor(private readonly store: Store, private readonly emit: (e: EngineEvent) => void) {}

  /**
   * Whether a config's target has an exact field this monitor can measure against: a Gaussian base
   * independent pairs and a fixed interpolant (an OT-coupled run learns another field, with no
   * closed form; a learned interpolant's field moves with its coefficients).
   */
  static applies(config: ExperimentConfig): boolean {
    return config.base === 'gaussian' && config.train.coupling !== 'ot' && config.interpolant !== 'learned' && targetMixture(config.dataset) !== null;
  }

  async maybeMeasure(runId: string, state: TrainState, config: ExperimentConfig, spec: NetSpec): Promise<void> {
    if (this.disabled) return;
    // exact fields are known for point targets only (Gaussian mixtures), which MLPs learn
    if (spec.kind !== 'mlp') {
      this.disabled = true;
      return;
    }
    const net: MlpSpec = spec;
    const last = state.step >= config.train.steps;
    const due = last || (state.step - this.lastStep >= FIELD_ERROR_EVERY && performance.now() >= this.notBefore);
    if (!due || state.step === this.lastStep) return;
    this.lastStep = state.step;
    try {
      if (!this.sampler && !(await this.prepare(config, net, state))) return;
      this.params!.set(state.ema);
      const it = getInterpolant(config.interpolant);
      const started = performance.now();
      const r = await fieldError(this.sampler!.velocity(), this.exact!, this.components!, it, { n: FIELD_ERROR_POINTS, seed: config.train.seed });
      // the first measurement builds the net's session and warms the code: it sets no wait
      if (this.measured++ > 0) this.notBefore = performance.now() + FIELD_ERROR_TIME_RATIO * (performance.now() - started);
      this.last = r.value;
      this.store.appendMetricRun(runId, FIELD_ERROR_METRIC, state.step, [r.value]);
      this.emit({ type: 'metric', runId, name: FIELD_ERROR_METRIC, steps: [state.step], values: [r.value] });
    } catch {
      // A measurement, never a reason to disturb the training: stop measuring.
      this.disabled = true;
    }
  }

  private async prepare(config: ExperimentConfig, net: MlpSpec, state: TrainState): Promise<boolean> {
    this.components = FieldErrorMonitor.applies(config) ? targetMixture(config.dataset) : null;
    if (!this.components || this.components[0].mean.length !== net.dim) {
      this.disabled = true;
      return false;
    }
    this.exact = mixtureField(this.components, getInterpolant(config.interpolant));
    this.params = new Float32Array(state.ema.length);
    // inside the training process, between its chunks: on the training's backend, one thread
    this.sampler = new NetSampler(net, this.params, await resolveBackend(config.backend, 'train'), 1);
    return true;
  }

  async release(): Promise<void> {
    await this.sampler?.release();
    this.sampler = null;
  }
}
