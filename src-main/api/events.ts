/**
 * Events a training and the job queue push to every door, at most about 10 per second per run
 * (the engine process batches them): what a run reports (EngineEvent) plus the queue's 'jobs'.
 */
import { z } from 'zod';
import type { ExperimentConfig } from './config.js';
import { failedJob, float32Array, jobInfo } from './schemas.js';

export const trainSummary = z.object({
  runId: z.string(),
  status: z.enum(['completed', 'failed', 'stopped']),
  /** Steps done in total (including those before a resume). */
  steps: z.number(),
  /** Mean loss over the run's last steps; null before any step. */
  finalLoss: z.number().nullable(),
  /** Wall time of this invocation. */
  seconds: z.number(),
  stepsPerSec: z.number(),
  backend: z.string(),
  /** How the steps ran (engine/train/stepRunner.ts: loop, unrolled, device or image). */
  runner: z.string().optional(),
  failureReason: z.string().optional(),
  /** The last field error (targets with an exact field: service/fieldErrorMonitor.ts). */
  fieldError: z.number().optional(),
  /** The loss at uniform t on held-out points, EMA weights: comparable across time samplings (service/uniformLoss.ts). */
  uniformLoss: z.number().optional(),
});

export const apiEvent = z.discriminatedUnion('type', [
  /** resumedFrom: the step a resumed run continues from (0 for a new run). */
  z.object({
    type: z.literal('started'),
    runId: z.string(),
    // checked when the run was created; carried as it was recorded
    config: z.custom<ExperimentConfig>((v) => v !== null && typeof v === 'object'),
    resumedFrom: z.number().optional(),
  }),
  z.object({ type: z.literal('paused'), runId: z.string(), step: z.number() }),
  z.object({ type: z.literal('resumed'), runId: z.string(), step: z.number() }),
  z.object({
    type: z.literal('progress'),
    runId: z.string(),
    step: z.number(),
    steps: z.number(),
    stepsPerSec: z.number(),
    etaSeconds: z.number(),
  }),
  /** Step numbers and their losses, every step since the previous 'loss' event. */
  z.object({ type: z.literal('loss'), runId: z.string(), steps: z.array(z.number()), losses: z.array(z.number().nullable()) }),
  /** Values of a measured series other than the loss (`field_error`), at the steps measured. */
  z.object({ type: z.literal('metric'), runId: z.string(), name: z.string(), steps: z.array(z.number()), values: z.array(z.number()) }),
  z.object({
    type: z.literal('samples'),
    runId: z.string(),
    step: z.number(),
    n: z.number(),
    d: z.number(),
    data: float32Array,
  }),
  z.object({ type: z.literal('done'), runId: z.string(), summary: trainSummary }),
  z.object({ type: z.literal('failed'), runId: z.string(), reason: z.string() }),
  /** A training failed before its run existed (too few rows, a text cell, a missing file). */
  failedJob.extend({ type: z.literal('jobFailed') }),
  /** The queue changed: every job waiting, running or paused, in order. */
  z.object({ type: z.literal('jobs'), jobs: z.array(jobInfo) }),
]);

export type ApiEvent = z.infer<typeof apiEvent>;
export type ApiEventType = ApiEvent['type'];
/** What a running job reports; the queue adds 'jobs'. */
export type EngineEvent = Exclude<ApiEvent, { type: 'jobs' | 'jobFailed' }>;
export type TrainSummary = z.infer<typeof trainSummary>;
