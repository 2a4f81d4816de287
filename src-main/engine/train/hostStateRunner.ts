/**
 * What the runners that keep a run's state on the host share (the fused MLP program and the
 * image program, engine/train/trainSession.ts and imageTrainSession.ts): the state is replaced
 * whole by each chunk, so the state before the last chunk is kept by reference for `undo`.
 */
import type { TrainState } from './trainSession.js';

export abstract class HostStateRunner {
  /** The state before the last `advance` (see `undo`); each advance sets it. */
  protected previous: TrainState | null = null;

  constructor(public state: TrainState) {}

  get step(): number {
    return this.state.step;
  }

  /** The state itself: each call replaces the arrays rather than writing into them. */
  async readState(): Promise<TrainState> {
    return this.state;
  }

  async writeState(s: TrainState): Promise<void> {
    const P = this.state.params.length;
    if (s.params.length !== P) throw new Error(`the state has ${s.params.length} parameters, the net needs ${P}`);
    this.state = s;
    this.previous = null;
  }

  async undo(): Promise<void> {
    if (!this.previous) throw new Error('nothing to undo: no steps since the state was set');
    this.state = this.previous;
    this.previous = null;
  }
}
