/**
 * Connects the config schema's check to the wizard's fields: `checkConfig` (the same check the
 * API and the CLI apply) names each problem's field by path, so the message shows next to that
 * field and the wizard opens the step that holds it.
 */
import { checkConfig as checkWithSchema, type ExperimentConfig } from '../../../src-main/api/config.js';

export const WIZARD_STEPS = ['Data', 'Interpolant', 'Velocity net', 'Training', 'Review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** The wizard step of every field the wizard edits, by its path in the config. */
const STEP_OF_FIELD = {
  name: 'Review', dataset: 'Data', base: 'Data', heldOut: 'Data', interpolant: 'Interpolant',
  'net.kind': 'Velocity net', 'net.width': 'Velocity net', 'net.depth': 'Velocity net', 'net.activation': 'Velocity net',
  'net.timeFrequencies': 'Velocity net',
  'train.steps': 'Training', 'train.batch': 'Training', 'train.lr': 'Training',
  'train.optimizer': 'Training', 'train.weightDecay': 'Training', 'train.beta1': 'Training',
  'train.beta2': 'Training', 'train.eps': 'Training', 'train.warmupSteps': 'Training',
  'train.schedule': 'Training', 'train.lrFloor': 'Training', 'train.clipNorm': 'Training', 'train.emaDecay': 'Training',
  'train.timeSampling': 'Training', 'train.seed': 'Training', backend: 'Training', threads: 'Training',
} as const satisfies Record<string, WizardStep>;

export type FieldPath = keyof typeof STEP_OF_FIELD;

function isFieldPath(path: string): path is FieldPath {
  return Object.prototype.hasOwnProperty.call(STEP_OF_FIELD, path);
}

export function stepOfField(field: FieldPath): WizardStep {
  return STEP_OF_FIELD[field];
}

export function fieldsOfStep(step: WizardStep): FieldPath[] {
  return (Object.keys(STEP_OF_FIELD) as FieldPath[]).filter((f) => STEP_OF_FIELD[f] === step);
}

export interface FieldError {
  field: FieldPath | null;
  message: string;
}

/** The first problem with a config, at the field it concerns; null when the config is valid. */
export function checkConfig(config: ExperimentConfig): FieldError | null {
  const r = checkWithSchema(config);
  if (r.ok) return null;
  const first = r.issues[0];
  return { field: isFieldPath(first.path) ? first.path : null, message: first.message };
}

/** The first problem among the fields of one step (what blocks its Next button). */
export function checkStep(config: ExperimentConfig, step: WizardStep): FieldError | null {
  const r = checkWithSchema(config);
  if (r.ok) return null;
  for (const issue of r.issues) {
    if (isFieldPath(issue.path) ? stepOfField(issue.path) === step : step === 'Review') return { field: isFieldPath(issue.path) ? issue.path : null, message: issue.message };
  }
  return null;
}
