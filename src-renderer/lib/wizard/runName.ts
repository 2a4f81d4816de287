/**
 * The name the wizard suggests for a run. A preset's name names the run only while its data and
 * interpolant are still chosen; otherwise the name says what is trained (data and interpolant), as the
 * service names a run that was given none.
 */
import type { ExperimentConfig } from '../../../src-main/api/config.js';

/** The preset last loaded: its run name and the data and interpolant it was written for. */
export interface PresetName {
  name: string;
  dataset: string;
  interpolant: string;
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function suggestedRunName(config: ExperimentConfig, preset: PresetName | null): string {
  if (preset && preset.dataset === config.dataset && preset.interpolant === config.interpolant) return preset.name;
  return `${fileName(config.dataset)} · ${config.interpolant}`;
}
