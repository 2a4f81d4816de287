/**
 * Connects the engine's config validation to the wizard's fields: runs `validateConfig` (the
 * same check the engine applies), and finds which field its one-line message is about, so the
 * message shows next to that field and the wizard opens the step that holds it.
 */
import { validateConfig, type ExperimentConfig } from '../../../src-main/engine/config.js';

export type FieldPath =
  | 'name' | 'dataset' | 'base' | 'interpolant'
  | 'net.width' | 'net.depth' | 'net.activation' | 'net.timeFrequencies'
  | 'train.steps' | 'train.batch' | 'train.lr' | 'train.optimizer' | 'train.weightDecay'
  | 'train.beta1' | 'train.beta2' | 'train.eps' | 'train.warmupSteps' | 'train.schedule' | 'train.lrFloor'
  | 'train.clipNorm' | 'train.emaDecay' | 'train.seed'
  | 'heldOut' | 'backend' | 'threads';

export const WIZARD_STEPS = ['Data', 'Interpolant', 'Velocity net', 'Training', 'Review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

const STEP_OF_FIELD: Record<FieldPath, WizardStep> = {
  name: 'Review', dataset: 'Data', base: 'Data', heldOut: 'Data', interpolant: 'Interpolant',
  'net.width': 'Velocity net', 'net.depth': 'Velocity net', 'net.activation': 'Velocity net',
  'net.timeFrequencies': 'Velocity net',
  'train.steps': 'Training', 'train.batch': 'Training', 'train.lr': 'Training',
  'train.optimizer': 'Training', 'train.weightDecay': 'Training', 'train.beta1': 'Training',
  'train.beta2': 'Training', 'train.eps': 'Training', 'train.warmupSteps': 'Training',
  'train.schedule': 'Training', 'train.lrFloor': 'Training', 'train.clipNorm': 'Training', 'train.emaDecay': 'Training',
  'train.seed': 'Training', backend: 'Training', threads: 'Training',
};

/** The bare names the validator's messages use, and the field each one means. */
const NAME_TO_FIELD: Record<string, FieldPath> = {
  dataset: 'dataset', base: 'base', interpolant: 'interpolant', heldOut: 'heldOut',
  backend: 'backend', threads: 'threads', width: 'net.width', depth: 'net.depth',
  activation: 'net.activation', timeFrequencies: 'net.timeFrequencies', steps: 'train.steps',
  batch: 'train.batch', lr: 'train.lr', optimizer: 'train.optimizer',
  weightDecay: 'train.weightDecay', beta1: 'train.beta1', beta2: 'train.beta2', eps: 'train.eps',
  warmupSteps: 'train.warmupSteps', schedule: 'train.schedule', lrFloor: 'train.lrFloor', clipNorm: 'train.clipNorm',
  emaDecay: 'train.emaDecay', seed: 'train.seed',
};

export function stepOfField(field: FieldPath): WizardStep {
  return STEP_OF_FIELD[field];
}

export function fieldsOfStep(step: WizardStep): FieldPath[] {
  return (Object.keys(STEP_OF_FIELD) as FieldPath[]).filter((f) => STEP_OF_FIELD[f] === step);
}

/**
 * The field a validation message names: "width must be ...", "unknown interpolant 'x'; ...",
 * "no dataset given; ...". Null when the message names no field we know.
 */
export function fieldOfMessage(message: string): FieldPath | null {
  const patterns = [/^unknown (\w+) '/, /^no (\w+) given/, /^(\w+) must\b/, /^(\w+) and \w+ must\b/, /^(dataset|base) 'gaussian:/i];
  for (const p of patterns) {
    const m = p.exec(message);
    if (m && m[1] in NAME_TO_FIELD) return NAME_TO_FIELD[m[1]];
  }
  return null;
}

export interface FieldError {
  field: FieldPath | null;
  message: string;
}

/** Longest run name accepted: fits the runs table and file names. */
export const MAX_NAME_LENGTH = 120;

/** The first problem with a config, at the field it concerns; null when the config is valid. */
export function checkConfig(config: ExperimentConfig): FieldError | null {
  try {
    validateConfig(config);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { field: fieldOfMessage(message), message };
  }
  if (config.train.warmupSteps >= config.train.steps) {
    return { field: 'train.warmupSteps', message: `warmupSteps (${config.train.warmupSteps}) must be less than steps (${config.train.steps}); lower the warmup or train longer` };
  }
  if ((config.name ?? '').length > MAX_NAME_LENGTH) {
    return { field: 'name', message: `name must be at most ${MAX_NAME_LENGTH} characters` };
  }
  return null;
}

/** The first problem among the fields of one step (what blocks its Next button). */
export function checkStep(config: ExperimentConfig, step: WizardStep): FieldError | null {
  const problem = checkConfig(config);
  if (!problem) return null;
  if (problem.field === null) return step === 'Review' ? problem : null;
  return stepOfField(problem.field) === step ? problem : null;
}
