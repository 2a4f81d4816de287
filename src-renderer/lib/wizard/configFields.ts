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
  'net.timeFrequencies': 'Velocity net', 'net.baseChannels': 'Velocity net', 'net.channelMults': 'Velocity net',
  'net.blocksPerLevel': 'Velocity net', 'net.attention': 'Velocity net',
  'train.steps': 'Training', 'train.batch': 'Training', 'train.lr': 'Training',
  'train.optimizer': 'Training', 'train.weightDecay': 'Training', 'train.beta1': 'Training',
  'train.beta2': 'Training', 'train.eps': 'Training', 'train.warmupSteps': 'Training',
  'train.schedule': 'Training', 'train.lrFloor': 'Training', 'train.clipNorm': 'Training', 'train.emaDecay': 'Training',
  'train.timeSampling': 'Training', 'train.coupling': 'Training', 'train.seed': 'Training', backend: 'Training', threads: 'Training',
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

/** A number box left empty reads as null; say it is empty rather than "got null". */
function readable(issue: { path: string; problem: string; message: string }): string {
  const empty = /^(.*), got null$/.exec(issue.problem);
  return empty ? `${issue.path} is empty; it ${empty[1]}` : issue.message;
}

/** The first problem with a config, at the field it concerns; null when the config is valid. */
export function checkConfig(config: ExperimentConfig): FieldError | null {
  const r = checkWithSchema(config);
  if (r.ok) return null;
  const first = r.issues[0];
  return { field: isFieldPath(first.path) ? first.path : null, message: readable(first) };
}

/** The first problem among the fields of one step (what blocks its Next button). */
export function checkStep(config: ExperimentConfig, step: WizardStep): FieldError | null {
  const r = checkWithSchema(config);
  if (r.ok) return null;
  for (const issue of r.issues) {
    if (isFieldPath(issue.path) ? stepOfField(issue.path) === step : step === 'Review') return { field: isFieldPath(issue.path) ? issue.path : null, message: readable(issue) };
  }
  return null;
}

/** An imported file as the wizard knows it: where it was saved and how many rows it holds. */
export interface ImportedRows {
  path: string;
  n: number;
}

/** Training rows left after the held-out split; the same count engine/data/split.ts keeps. */
export function trainingRows(n: number, heldOut: number): number {
  if (n < 2) return n;
  return n - Math.min(n - 1, Math.max(1, Math.round(heldOut * n)));
}

/**
 * The batch against the rows of an imported target: training draws each batch from the
 * training rows, so a larger batch would fail when the run starts.
 */
export function checkBatchRows(config: ExperimentConfig, imported: ImportedRows | null): FieldError | null {
  if (!imported || config.dataset !== imported.path) return null;
  if (!(typeof config.heldOut === 'number' && typeof config.train.batch === 'number')) return null;
  const rows = trainingRows(imported.n, config.heldOut);
  if (config.train.batch <= rows) return null;
  const held = Math.round(config.heldOut * 100);
  return {
    field: 'train.batch',
    message: `train.batch ${config.train.batch} is larger than the ${rows} training rows of the imported file (${imported.n} rows, ${held}% held out); use ${rows} or less`,
  };
}
