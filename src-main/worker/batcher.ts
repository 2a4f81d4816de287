/**
 * Coalesces a training's engine events so a door sees about 10 per second however fast the
 * trainer reports: losses are concatenated (every step still reaches the chart), progress and
 * samples keep only the latest, and lifecycle events (started, done, failed) go out at once,
 * after whatever was pending.
 */
import type { ApiEvent } from '../api/events.js';

/** Flush period (ms): 10 flushes per second keeps charts live without flooding the door. */
export const FLUSH_INTERVAL_MS = 100;

type LossEvent = Extract<ApiEvent, { type: 'loss' }>;

/** Losses as JSON-safe numbers: NaN and infinities (a diverging run) become null. */
function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export class EventBatcher {
  private loss = new Map<string, LossEvent>();
  private latest = new Map<string, ApiEvent>();
  private handle: unknown = null;

  constructor(
    private readonly emit: (event: ApiEvent) => void,
    private readonly timers: Timers = realTimers,
    private readonly intervalMs = FLUSH_INTERVAL_MS,
  ) {}

  push(event: ApiEvent): void {
    switch (event.type) {
      case 'loss': {
        const pending = this.loss.get(event.runId);
        const losses = event.losses.map(finiteOrNull);
        if (pending) {
          pending.steps.push(...event.steps);
          pending.losses.push(...losses);
        } else {
          this.loss.set(event.runId, { type: 'loss', runId: event.runId, steps: [...event.steps], losses });
        }
        this.arm();
        return;
      }
      case 'progress':
      case 'samples':
        this.latest.set(`${event.type}:${event.runId}`, event);
        this.arm();
        return;
      case 'done':
        this.flush();
        this.emit({ ...event, summary: { ...event.summary, finalLoss: finiteOrNull(event.summary.finalLoss) } });
        return;
      default:
        this.flush();
        this.emit(event);
    }
  }

  /** Sends everything pending now: losses first, then the latest progress and samples. */
  flush(): void {
    for (const e of this.loss.values()) this.emit(e);
    for (const e of this.latest.values()) this.emit(e);
    this.loss.clear();
    this.latest.clear();
    this.disarm();
  }

  close(): void {
    this.flush();
  }

  private arm(): void {
    if (this.handle === null) this.handle = this.timers.setInterval(() => this.flush(), this.intervalMs);
  }

  private disarm(): void {
    if (this.handle !== null) {
      this.timers.clearInterval(this.handle);
      this.handle = null;
    }
  }
}
