/**
 * One run as the run page shows it: its record, its full loss series (history from the store,
 * then every step the engine reports), the gradient norm and training time (read from the store,
 * again every EXTRAS_POLL_MS while it trains: the live stream carries losses only), progress,
 * and the latest samples. Big arrays are kept out of deep reactivity; `version` ticks when they
 * change.
 */
import { api } from './app.svelte.js';
import { GrowableSeries } from '../charts/growable.js';
import type { RunRecordWire } from '../../../src-main/api/schemas.js';
import type { ApiEvent } from '../../../src-main/api/events.js';

/** How often a training run's gradient norms and times are read: a chart's refresh, not a stream. */
export const EXTRAS_POLL_MS = 2000;
/** Metrics read beside the loss: the step's gradient norm, and training seconds at chunk ends. */
const EXTRAS = ['grad_norm', 'wall_s'] as const;
/** The series name of the field error (service/fieldErrorMonitor.ts). */
const FIELD_ERROR_METRIC = 'field_error';
/** Sine terms per coefficient of the learned interpolant (engine/interpolants/learned.ts). */
const LEARNED_TERMS = 4;

export interface Progress {
  step: number;
  steps: number;
  stepsPerSec: number;
  etaSeconds: number;
}

export interface Samples {
  step: number;
  n: number;
  d: number;
  data: Float32Array;
  /** How samples drawn after training were made; absent for a training preview. */
  drawn?: string;
}

export class LiveRun {
  run = $state<RunRecordWire | null>(null);
  progress = $state<Progress | null>(null);
  failure = $state<string | null>(null);
  samples = $state.raw<Samples | null>(null);
  loss = $state.raw(new GrowableSeries());
  gradNorm = $state.raw(new GrowableSeries());
  wall = $state.raw(new GrowableSeries());
  private lastExtrasPoll = 0;
  private polling = false;
  /** E|v_ema - v*|^2 against the exact field, every few hundred steps (targets with one; else empty). */
  fieldError = $state.raw(new GrowableSeries());
  /** Points in `fieldError` (the series itself grows in place, out of reactivity). */
  fieldErrorPoints = $state(0);
  /** The loss at uniform t on held-out points (EMA weights), measured when training ends: comparable across runs of one interpolant. */
  uniformLoss = $state<number | null>(null);
  /** A learned interpolant's latest coefficients (series interpolant_alpha_k, interpolant_beta_k), else null. */
  learned = $state.raw<{ alpha: number[]; beta: number[]; step: number } | null>(null);
  version = $state(0);
  error = $state<string | null>(null);
  private unsubscribe: () => void;

  constructor(readonly runId: string) {
    this.unsubscribe = api.onEvent((e) => this.onEvent(e));
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const [run, metric, samples, fieldError, uniform, gradNorm, wall] = await Promise.all([
        api.call('runs.get', { runId: this.runId }),
        api.call('runs.metric', { runId: this.runId, name: 'loss' }),
        api.call('runs.samples', { runId: this.runId }),
        api.call('runs.metric', { runId: this.runId, name: FIELD_ERROR_METRIC }),
        api.call('runs.metric', { runId: this.runId, name: 'loss_uniform' }),
        ...EXTRAS.map((name) => api.call('runs.metric', { runId: this.runId, name })),
      ]);
      this.gradNorm = GrowableSeries.from(gradNorm.steps, gradNorm.values);
      this.wall = GrowableSeries.from(wall.steps, wall.values);
      this.run = run;
      if (run.status === 'failed') this.failure = run.failureReason;
      const merged = GrowableSeries.from(metric.steps, metric.values);
      const lastLoaded = metric.steps.length ? metric.steps[metric.steps.length - 1] : -Infinity;
      for (let i = 0; i < this.loss.length; i++) {
        if (this.loss.x[i] > lastLoaded) merged.append([this.loss.x[i]], [this.loss.y[i]]);
      }
      this.loss = merged;
      const fe = GrowableSeries.from(fieldError.steps, fieldError.values);
      const lastFe = fieldError.steps.length ? fieldError.steps[fieldError.steps.length - 1] : -Infinity;
      for (let i = 0; i < this.fieldError.length; i++) {
        if (this.fieldError.x[i] > lastFe) fe.append([this.fieldError.x[i]], [this.fieldError.y[i]]);
      }
      this.fieldError = fe;
      this.fieldErrorPoints = fe.length;
      this.uniformLoss = uniform.values.length ? uniform.values[uniform.values.length - 1] : null;
      if ((run.config as { interpolant?: string }).interpolant === 'learned') void this.loadLearned();
      if (samples && (!this.samples || samples.step >= this.samples.step)) this.samples = samples;
      this.version++;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Appends the gradient norms and times recorded since the last read. */
  private async pollExtras(): Promise<void> {
    if (this.polling || performance.now() - this.lastExtrasPoll < EXTRAS_POLL_MS) return;
    this.polling = true;
    this.lastExtrasPoll = performance.now();
    try {
      const targets = [this.gradNorm, this.wall];
      const got = await Promise.all(EXTRAS.map((name, i) => {
        const s = targets[i];
        return api.call('runs.metric', { runId: this.runId, name, afterStep: s.length ? s.x[s.length - 1] : -1 });
      }));
      got.forEach((m, i) => targets[i].append(m.steps, m.values));
      this.version++;
    } catch {
      // The next progress event reads again.
    } finally {
      this.polling = false;
    }
  }

  /** The last recorded value of each coefficient series; the plot shows the path the run ended with. */
  async loadLearned(): Promise<void> {
    const read = (name: string) => api.call('runs.metric', { runId: this.runId, name });
    const last = (m: { steps: Float64Array; values: Float64Array }) => (m.values.length ? m.values[m.values.length - 1] : 0);
    const alpha: number[] = [];
    const beta: number[] = [];
    let step = 0;
    for (let k = 1; k <= LEARNED_TERMS; k++) {
      const [a, b] = await Promise.all([read(`interpolant_alpha_${k}`), read(`interpolant_beta_${k}`)]);
      alpha.push(last(a));
      beta.push(last(b));
      step = Math.max(step, a.steps.length ? a.steps[a.steps.length - 1] : 0);
    }
    this.learned = { alpha, beta, step };
  }

  async refreshRecord(): Promise<void> {
    try {
      this.run = await api.call('runs.get', { runId: this.runId });
    } catch {
      // The record is refreshed again on the next lifecycle event.
    }
  }

  private onEvent(e: ApiEvent): void {
    if (!('runId' in e) || e.runId !== this.runId) return;
    switch (e.type) {
      case 'loss':
        this.loss.append(e.steps, e.losses);
        this.version++;
        return;
      case 'metric':
        if (e.name === 'loss_uniform') this.uniformLoss = e.values[e.values.length - 1] ?? null;
        if (e.name !== FIELD_ERROR_METRIC) return;
        this.fieldError.append(e.steps, e.values);
        this.fieldErrorPoints = this.fieldError.length;
        this.version++;
        return;
      case 'progress':
        this.progress = { step: e.step, steps: e.steps, stepsPerSec: e.stepsPerSec, etaSeconds: e.etaSeconds };
        void this.pollExtras();
        if (this.run && this.run.status !== 'running' && this.run.status !== 'paused') void this.refreshRecord();
        return;
      case 'samples':
        this.samples = { step: e.step, n: e.n, d: e.d, data: e.data };
        return;
      case 'started':
        this.failure = null;
        void this.refreshRecord();
        return;
      case 'done':
        this.progress = null;
        this.lastExtrasPoll = 0;
        void this.pollExtras();
        if (this.learned) void this.loadLearned();
        void this.refreshRecord();
        return;
      case 'failed':
        this.failure = e.reason;
        this.progress = null;
        void this.refreshRecord();
        return;
    }
  }

  dispose(): void {
    this.unsubscribe();
  }
}
