/** What a running job tells the doors (app, CLI progress), batched by the engine process. */
import type { ExperimentConfig } from '../engine/config.js';

export interface TrainSummary {
  runId: string;
  status: 'completed' | 'failed' | 'stopped';
  /** Steps done in total (including those before a resume). */
  steps: number;
  /** Mean loss over the last FINAL_LOSS_WINDOW steps. */
  finalLoss: number;
  /** Wall time of this invocation. */
  seconds: number;
  stepsPerSec: number;
  backend: string;
  failureReason?: string;
}

export type EngineEvent =
  | { type: 'started'; runId: string; config: ExperimentConfig; resumedFrom: number }
  | { type: 'progress'; runId: string; step: number; steps: number; stepsPerSec: number; etaSeconds: number }
  | { type: 'loss'; runId: string; steps: number[]; losses: number[] }
  | { type: 'samples'; runId: string; step: number; n: number; d: number; data: Float32Array }
  | { type: 'paused'; runId: string; step: number }
  | { type: 'resumed'; runId: string; step: number }
  | { type: 'done'; runId: string; summary: TrainSummary }
  | { type: 'failed'; runId: string; reason: string };
