import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from '../../../bench/summarize.mjs';
import { figure, missing, target } from '../../../bench/lib/figures.mjs';

const machine = {
  cpus: 2, model: 'Test CPU', memoryGiB: 24, os: 'Linux', node: 'v20', onnxruntime: '1.30.0',
  torch: null, torchMissing: 'python3 not found', tfjs: '4.22.0', threads: 2, loadAverage: [0.1, 0.2, 0.3],
};

describe('BENCHMARKS.md rendering', () => {
  const md = renderMarkdown({
    train: {
      suite: 'train', machine, date: '2026-01-02T03:04:05.000Z', quick: false,
      figures: [
        figure('train steps/s, batch 1024', 'steps/s', 60, 40, 'PyTorch eager (CPU)'),
        figure('train steps/s, batch 1024', 'steps/s', 60, missing('python3 not found'), 'PyTorch torch.compile (CPU)'),
      ],
      targets: [target('steps/s vs PyTorch eager at batch 1024', '>= 1.3x', 1.5, 1.3)],
      details: {},
    },
  });

  test('shows each figure with the peer figure and the ratio', () => {
    assert.match(md, /\| train steps\/s, batch 1024 \| 60\.0 \| PyTorch eager \(CPU\) \| 40\.0 \| 1\.50x \| steps\/s \|/);
  });

  test('shows a missing peer as missing with its reason, not as zero', () => {
    assert.match(md, /\| PyTorch torch\.compile \(CPU\) \| missing \[1\] \| - \|/);
    assert.match(md, /\[1\] python3 not found/);
  });

  test('names the machine and the date of the measurement', () => {
    assert.match(md, /Measured 2026-01-02 03:04 UTC on Test CPU, 2 CPUs/);
    assert.match(md, /PyTorch missing \(python3 not found\)/);
  });

  test('states the targets and whether they are met', () => {
    assert.match(md, /\| steps\/s vs PyTorch eager at batch 1024 \| >= 1\.3x \| 1\.500x \| yes \|/);
  });

  test('says so for a suite that has not run', () => {
    assert.match(md, /## Sampling throughput[\s\S]*Not run yet \(`npm run bench -- --only sample`\)/);
  });
});
