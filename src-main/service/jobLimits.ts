/**
 * The memory checks a job makes before it allocates, in the service so that every door (the
 * app's engine processes and the CLI) applies them; the estimates are the engine's
 * (engine/memoryEstimate.ts). Messages name config fields, so they read the same in the wizard,
 * over the API and in a terminal.
 */
import type { ExperimentConfig } from '../api/config.js';
import { checkMemory, evaluationMemory, trainingMemory } from '../engine/memoryEstimate.js';

/** A training of an MLP on d columns and `rows` rows; other net kinds carry their own limits. */
export function checkTrainingMemory(config: ExperimentConfig, d: number, rows: number): void {
  const net = config.net as { kind?: string; width?: number; depth?: number; timeFrequencies?: number };
  if ((net.kind ?? 'mlp') !== 'mlp' || !net.width || !net.depth) return;
  checkMemory(
    'this training',
    trainingMemory({ d, width: net.width, depth: net.depth, timeFrequencies: net.timeFrequencies ?? 0, batch: config.train.batch, rows }),
    'lower net.width, net.depth or train.batch, or use a file with fewer columns',
  );
}

/** An evaluation of n points at dimension d. */
export function checkEvaluationMemory(n: number, d: number): void {
  checkMemory('this evaluation', evaluationMemory({ n, d }), 'lower n');
}
