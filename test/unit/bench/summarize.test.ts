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

describe('BENCHMARKS.md GPU section', () => {
  const gpu = {
    suite: 'gpu', date: '2026-01-02T03:04:05.000Z', backend: 'webgpu', threads: 0, tol: 1e-4, pass: true,
    machine: { description: 'Test GPU', cpus: 16, node: 'v20', onnxruntime: '1.30.0' },
    training: [{ afterSteps: 1, lossMaxRel: 1.6e-7, paramsMaxAbs: 9.3e-9, emaMaxAbs: 7.4e-9 }],
    sampling: [{ solver: 'rk4', reverse: false, maxAbs: 1.4e-6, nfe: [200, 200] }],
    divergence: { vMaxAbs: 1.2e-6, divMaxAbs: 1.1e-6 },
    speed: [
      { backend: 'cpu', what: 'train', batch: 1024, stepsPerSec: 200 },
      { backend: 'webgpu', what: 'train', batch: 1024, stepsPerSec: 50 },
      { backend: 'cpu', what: 'sample rk4-50', n: 65536, samplesPerSec: 1000 },
      { backend: 'webgpu', what: 'sample rk4-50', n: 65536, samplesPerSec: 5000 },
    ],
  };

  test('shows the agreement with the CPU and each backend speed as a ratio to the CPU', () => {
    const md = renderMarkdown({ gpu });
    assert.match(md, /Measured 2026-01-02 03:04 UTC on Test GPU/);
    assert.match(md, /Agreement with the CPU \(tolerance 0\.0001\): every figure within it/);
    assert.match(md, /\| rk4 generate \(t = 0 -> 1\), NFE 200 \| 1\.4e-6 \|/);
    assert.match(md, /\| train steps\/s, batch 1024 \| 200 \| 50\.0 \| 0\.25x \|/);
    assert.match(md, /\| sample rk4-50, 65536 points, samples\/s \| 1000 \| 5000 \| 5\.00x \|/);
  });

  test('says so when no GPU machine has run the check, and flags a failed agreement', () => {
    assert.match(renderMarkdown({}), /No GPU machine has run `scripts\/backendCheck\.ts` yet/);
    assert.match(renderMarkdown({ gpu: { ...gpu, pass: false } }), /\*\*some figure outside it\*\*/);
  });
});

describe('BENCHMARKS.md training-defaults section', () => {
  test('lists each variant with its seeds, mean and worst in-square fraction, best first, the chosen one marked', () => {
    const md = renderMarkdown({
      defaults: {
        suite: 'defaults', date: '2026-01-02T00:00:00.000Z', machine: { description: 'Test host' }, about: 'About.', legend: { b2: 'Adam beta2' }, chosen: 'b2=0.98',
        runs: [
          { variant: 'base', seed: 1, inSquares: [0.92, 0.93], finalLoss: 8 },
          { variant: 'b2=0.98', seed: 2, inSquares: [0.95, 0.94], finalLoss: 8 },
          { variant: 'b2=0.98', seed: 1, inSquares: [0.93, 0.94], finalLoss: 8 },
        ],
      },
    });
    assert.match(md, /\| \*\*b2=0\.98\*\* \(the defaults now\) \| 1, 2 \| 94\.00% \| 93\.00% \|\n\| base \| 1 \| 92\.50% \| 92\.00% \|/);
    assert.match(md, /Keys: b2: Adam beta2\./);
  });
});
