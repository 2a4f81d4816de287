/** One-click starting points for the wizard, each a complete, valid experiment. */
import { defaultConfig, type ExperimentConfig } from '../../../src-main/api/config.js';

export interface Preset {
  id: string;
  title: string;
  description: string;
  config: ExperimentConfig;
}

function preset(id: string, title: string, description: string, edit: (c: ExperimentConfig) => void, dataset: string): Preset {
  const config = defaultConfig(dataset, 0);
  edit(config);
  return { id, title, description, config };
}

export const PRESETS: Preset[] = [
  preset('checkerboard-2min', 'Checkerboard in 2 minutes', 'A small net on the classic checkerboard; sharp squares in a few thousand steps.', (c) => {
    c.name = 'Checkerboard (quick)';
    c.net = { kind: 'mlp', width: 128, depth: 3, activation: 'silu', timeFrequencies: 4 };
    c.train = { ...c.train, steps: 4000, batch: 512, lr: 2e-3, warmupSteps: 200 };
  }, 'checkerboard'),
  preset('8gaussians-quick', '8 Gaussians, quick look', 'Eight well-separated modes: shows mode coverage in a minute.', (c) => {
    c.name = '8 Gaussians (quick)';
    c.net = { kind: 'mlp', width: 64, depth: 2, activation: 'silu', timeFrequencies: 4 };
    c.train = { ...c.train, steps: 2000, batch: 512, lr: 2e-3, warmupSteps: 100 };
  }, '8gaussians'),
  preset('moons-straight', 'Moons with straight paths', 'Linear (rectified-flow) interpolant on two moons.', (c) => {
    c.name = 'Moons (linear)';
    c.interpolant = 'linear';
    c.net = { kind: 'mlp', width: 128, depth: 3, activation: 'silu', timeFrequencies: 4 };
    c.train = { ...c.train, steps: 3000, batch: 512, lr: 2e-3, warmupSteps: 200 };
  }, 'moons'),
];
