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

describe('BENCHMARKS.md U-Net sections', () => {
  const net = { kind: 'unet', baseChannels: 32, channelMults: [1, 2, 2], blocksPerLevel: 1, attention: true, timeFrequencies: 4 };
  const check = { losses: [2.4063141, 2.3868415], flowlab_losses: [2.4063139, 2.3868427], params_agree: 0.9999, params_rel_err: 1e-3, ema_agree: 0.9998, ema_rel_err: 1e-3, sample_max_err: 2.1e-6 };
  const unetTrain = {
    suite: 'unet-train', machine, date: '2026-01-02T03:04:05.000Z', threads: 2, load_before: [1, 1, 1], load_after: [1.5, 1, 1], seconds: 300, passes: 4, steps_per_pass: 2,
    sample: { batch: 256, steps: 10, passes: 2, flowlabRowsPerCall: 64 },
    nets: [
      { name: 'default', net: { ...net, baseChannels: 8, channelMults: [1, 2], attention: false }, params: 40521, batch: 16, check, flowlab_ms: 50, torch_ms: 80, ratio: 1.6, pass_ratio_median: 1.55, passes: [] },
      {
        name: 'large', net, params: 1059553, batch: 16, check, flowlab_ms: 2000, torch_ms: 600, ratio: 0.3, pass_ratio_median: 0.31, passes: [],
        profile: { batch: 16, threads: 2, backward: true, wall_ms: 1443, node_ms: 1362, ops: [{ op: 'Conv', ms: 650, share: 0.477, nodes: 103 }, { op: 'FusedMatMul', ms: 209, share: 0.154, nodes: 43 }], top: [] },
      },
    ],
    sampling: [{ net: 'default', method: 'rk4', steps: 10, batch: 256, flowlab_images_per_s: 40, torch_images_per_s: 20, flowlab_ms: 6400, torch_ms: 12800, ratio: 2, pass_ratio_median: 2, passes: [] }],
  };
  const shot = (seconds: number, steps: number, frechet: number, confident: number) => ({
    seconds, trained_s: seconds, steps, loss: 1, sample_s: 30, samples: `s-${seconds}.npy`,
    score: { n: 1000, confidentFraction: confident, classFractions: [], classifierFrechet: frechet, classifierFrechetFloor: 15.2, frechetSize: 1000 },
  });
  const unetTtq = {
    suite: 'unet-ttq', machine, date: '2026-01-02T03:04:05.000Z', concurrent: true, threads: 1, load_before: [1, 1, 1], load_after: [2, 1, 1], race_s: 1300,
    horizons: [300, 600, 1200], samples: 1000, sampleSteps: 20, trainImages: 9000,
    config: { net: { ...net, baseChannels: 8, channelMults: [1, 2], attention: false }, interpolant: 'trig', train: { batch: 16, lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-8, schedule: 'constant', steps: 3000, clipNorm: 1, emaDecay: 0.998, timeSampling: 'late' } },
    recipe: { warmup: 200 },
    flowlab: { steps: 3000, trained_s: 1200, snapshots: [shot(300, 800, 200, 0.3), shot(600, 1500, 100, 0.5), { ...shot(1200, 3000, 0, 0), score: undefined, scoreMissing: 'scoreDigits.ts: timed out' }] },
    torch: { steps: 2000, trained_s: 1200, check, snapshots: [shot(300, 500, 300, 0.2), shot(600, 1000, 150, 0.4), shot(1200, 2000, 90, 0.6)] },
  };

  test('says how to run each section when it has no result yet', () => {
    const md = renderMarkdown({});
    assert.match(md, /## U-Net training and sampling against PyTorch\n[^#]*Not run yet \(`node --import tsx bench\/flowlab\/unetTrainVsTorch\.ts`\)/);
    assert.match(md, /## Time to quality \(images\)\n[^#]*Not run yet \(`node --import tsx bench\/flowlab\/unetTtq\.ts`\)/);
  });

  test('shows each net\'s step times and ratio, the sampling rates, and the check', () => {
    const md = renderMarkdown({ 'unet-train': unetTrain });
    assert.match(md, /\| default: base 8, \[1, 2\], 1 block a level \| 40,521 \| 16 \| 50\.0 \| 80\.0 \| 1\.60x \| 1\.55x \|/);
    assert.match(md, /\| large: base 32, \[1, 2, 2\], 1 block a level, attention \| 1,059,553 \| 16 \| 2000 \| 600 \| 0\.30x \| 0\.31x \|/);
    assert.match(md, /\| default \| rk4 \| 10 \| 40 \| 40\.0 \| 20\.0 \| 2\.00x \|/);
    assert.match(md, /large: losses 2\.406314, 2\.386842 against FlowLab's 2\.406314, 2\.386843, 99\.99% of the parameter changes agree/);
  });

  test('shows the profile only for a net below 1.0x, and the targets with whether they are met', () => {
    const md = renderMarkdown({ 'unet-train': unetTrain });
    assert.match(md, /Where FlowLab's time goes in the large net's step[^\n]*\n\n\| Op type \| Share of node time \| ms \| Nodes \|\n\|---\|---\|---\|---\|\n\| Conv \| 47\.7% \| 650 \| 103 \|\n\| FusedMatMul \| 15\.4% \| 209 \| 43 \|/);
    assert.doesNotMatch(md, /time goes in the default net's step/);
    assert.match(md, /\| U-Net train steps\/s vs PyTorch eager, default net \(base 8, \[1, 2\], 1 block a level\), batch 16, 2 threads \| >= 1\.0x \(goal 1\.3x\) \| 1\.600x \| yes \|/);
    assert.match(md, /\| U-Net train steps\/s vs PyTorch eager, large net [^|]*\| >= 1\.0x \(goal 1\.3x\) \| 0\.300x \| \*\*no\*\* \|/);
  });

  test('a 1-thread result gets its own section, its own targets and its shortfalls named by thread count', () => {
    const one = { ...unetTrain, threads: 1, nets: [{ ...unetTrain.nets[0], ratio: 0.7, flowlab_ms: 95, torch_ms: 66.5 }], sampling: [] };
    const md = renderMarkdown({ 'unet-train': unetTrain, 'unet-train-1t': one });
    assert.match(md, /## U-Net training and sampling against PyTorch, 1 thread\n/);
    assert.match(md, /batch 16, 1 thread \| >= 1\.0x \(goal 1\.3x\) \| 0\.700x \| \*\*no\*\* \|/);
    assert.match(md, /- U-Net training \(1 thread\): default net: FlowLab 95\.0 vs PyTorch eager 66\.5 ms\/step \(0\.70x\)/);
    assert.match(md, /- U-Net training \(2 threads\): large net: FlowLab 2000 vs PyTorch eager 600 ms\/step \(0\.30x\)/);
    assert.doesNotMatch(renderMarkdown({ 'unet-train': unetTrain }), /against PyTorch, 1 thread/);
  });

  test('shows each horizon\'s steps and scores for both sides, the Frechet ratio, the floor, the schedule and a score that failed', () => {
    const md = renderMarkdown({ 'unet-ttq': unetTtq });
    assert.match(md, /\| 5 min \| 800 \| 30\.0% \| 200 \| 500 \| 20\.0% \| 300 \| 1\.50x \|/);
    assert.match(md, /\| 10 min \| 1500 \| 50\.0% \| 100 \| 1000 \| 40\.0% \| 150 \| 1\.50x \|/);
    assert.match(md, /\| 20 min \| 3000 \| missing \(scoreDigits\.ts: timed out\) \| missing \(scoreDigits\.ts: timed out\) \| 2000 \| 60\.0% \| 90\.0 \| - \|/);
    assert.match(md, /the floor\): 15\.2\./);
    assert.match(md, /constant rate after 200 warmup steps on both sides/);
    assert.match(md, /trained at the same time, 1 thread each/);
    assert.match(md, /99\.99% of the parameter changes and 99\.98% of the EMA's agree/);
  });

  test('lists the U-Net figures PyTorch won among the shortfalls, worst first, and says when the snapshots were scored again', () => {
    const behindTtq = {
      ...unetTtq,
      rescored: { date: '2026-01-03', classifier: 'the classifier shipped now', why: 'the race ran under an earlier one' },
      torch: { ...unetTtq.torch, steps: 4000, snapshots: [shot(300, 500, 100, 0.2), ...unetTtq.torch.snapshots.slice(1)] },
    };
    const md = renderMarkdown({ 'unet-train': unetTrain, 'unet-ttq': behindTtq });
    const short = md.slice(md.indexOf('## Where FlowLab falls short'), md.indexOf('\n## ', md.indexOf('## Where FlowLab falls short') + 5));
    const lines = short.split('\n').filter((l) => l.startsWith('- '));
    assert.deepEqual(lines, [
      '- U-Net training (2 threads): large net: FlowLab 2000 vs PyTorch eager 600 ms/step (0.30x)',
      '- Time to quality (images): classifier Frechet distance after 5 min (lower is better): FlowLab 200 vs PyTorch eager 100 (0.50x)',
      '- Time to quality (images): training steps in 20 min at 1 thread each: FlowLab 3000 vs PyTorch eager 4000 (0.75x)',
    ]);
    assert.match(md, /Every snapshot was scored again on 2026-01-03 by the classifier shipped now; the race ran under an earlier one\./);
    assert.doesNotMatch(renderMarkdown({ 'unet-ttq': unetTtq }), /scored again/);
  });

  test('reports a side that could not run as missing with its reason', () => {
    const md = renderMarkdown({ 'unet-ttq': { ...unetTtq, torch: { missing: 'torch not importable' } } });
    assert.match(md, /PyTorch: missing \(torch not importable\)\./);
    assert.match(md, /\| 5 min \| 800 \| 30\.0% \| 200 \| - \| - \| - \| - \|/);
  });
});

describe('BENCHMARKS.md shorter-paths and SDE sections', () => {
  const run = (interpolant: string, coupling: string, kineticEnergy: number, reference: number, nfeToTarget: number | null) => ({
    interpolant, coupling, kineticEnergy, straightness: 0.9, reference, nfeToTarget, nfeByMethod: { euler: null, midpoint: 12, rk4: nfeToTarget },
    energyDistance: 0.01, nfeSamples: 8, curve: [], sampleCurve: [],
  });
  const paths = {
    date: '2026-01-02T00:00:00.000Z', steps: 3000, batch: 256, seed: 1, n: 1000, threads: 1, loadAverage: 6.5, maxNfe: 32,
    methods: ['euler', 'midpoint', 'rk4'], tolerance: 0.02, sampleTolerance: 0.05,
    datasets: {
      '8gaussians': { bar: 0.36, floor: 0.01, sampleBar: 0.02, runs: [run('trig', 'independent', 3.5, 0.34, 16), run('linear', 'ot', 2.7, 0.15, 8), run('learned', 'independent', 2.9, 0.3, 12)] },
    },
  };

  test('judges each run by the acceptance: lower kinetic energy and at most half the NFE', () => {
    const md = renderMarkdown({ paths });
    assert.match(md, /8gaussians, linear interpolant with OT pairs .*NFE to reach the default's rk4-50 KL gap 8 vs 16 \(at most half\): met; on the sample-based figure 8 vs 8 NFE \(not at most half\)\./);
    assert.match(md, /8gaussians, learned interpolant .*12 vs 16 \(\*\*not at most half\*\*\): \*\*not met\*\*;/);
    assert.match(md, /8gaussians, linear interpolant with OT pairs .*rk4-50 0\.1500 vs 0\.3400 \(within the bar\)/);
    assert.match(md, /8gaussians: the default itself comes within the tolerance of its rk4-50 figure at 16 NFE \(rk4 with 4 steps\), so a run needs 8 or fewer\./);
    assert.match(md, /\*\*not met\*\* for 8gaussians learned interpolant; met for 1 of 2/);
    assert.match(md, /load average 6\.5 at its start/);
    assert.match(md, /\| 8gaussians \| linear \| ot \| 2\.70 \| 0\.900 \| 0\.1500 \| 0\.3600 \| 8 \| - \/ 12 \/ 8 \|/);
  });

  test('a run that never reaches the bar is not met, and an old results file asks for a rerun', () => {
    const never = structuredClone(paths);
    never.datasets['8gaussians'].runs[1].nfeToTarget = null;
    assert.match(renderMarkdown({ paths: never }), /linear interpolant with OT pairs .*KL gap - vs 16 \(\*\*not at most half\*\*\): \*\*not met\*\*/);
    assert.match(renderMarkdown({ paths: { ...paths, maxNfe: undefined } }), /predates the dense NFE grid/);
  });

  test('the SDE section puts each sampler beside the ODE and the floor', () => {
    const row = (solver: string, eps: number | null, steps: number, ed: number, values: number[]) => ({ solver, eps, steps, nfe: steps, energyDistance: ed, energyDistanceStdErr: 0.001, inSquares: 0.94, seconds: 1, values });
    const md = renderMarkdown({
      sde: {
        date: '2026-01-02T00:00:00.000Z', model: 'checkerboard', n: 2000, repeats: 3, threads: 1, loadAverage: 5, floor: 0.003, floorStdErr: 0.0005,
        rows: [row('rk4', null, 50, 0.011, [0.01, 0.011, 0.012]), row('em', 0.5, 100, 0.02, [0.02, 0.01, 0.03]), row('em', 0.5, 500, 0.009, [0.008, 0.009, 0.0101])],
      },
    });
    assert.match(md, /## SDE against ODE on the trained checkerboard/);
    assert.match(md, /\| rk4 \| 0 \(ODE\) \| 50 \| 50 \| 11\.00 \+- 1\.00 \| 94\.0% \|/);
    assert.match(md, /The floor: .*3\.00 \+- 0\.50/);
    assert.match(md, /- em at eps 0\.5: 20\.00 \/ 9\.00 at 100 \/ 500 steps \(best 9\.00 \+- 1\.00, 500 NFE\); below the ODE at 500 steps\./);
    assert.match(renderMarkdown({ sde: { date: '2026-01-02T00:00:00.000Z', model: 'm', n: 2, repeats: 3, threads: 1, loadAverage: 5, floor: 0.003, floorStdErr: 0.0005, rows: [row('rk4', null, 50, 0.011, [0.01, 0.011, 0.012]), row('em', 1, 50, 0.011, [0.02, 0.001, 0.012])] } }), /em at eps 1: .*; not apart from the ODE at any step count\./);
    assert.match(md, /- The ODE: rk4 with 50 steps, 11\.00 \+- 1\.00/);
  });
});

describe('BENCHMARKS.md image defaults section', () => {
  const run = (steps: number, sampler: string, confident: number, note?: string) => ({
    baseChannels: 8, interpolant: 'linear', timeSampling: 'uniform', channelMults: [1, 2, 4], steps, lr: 0.001, sampler, seed: 1,
    confidentFraction: confident, classFractions: [0.08, 0.12], classifierFrechet: 160.04, classifierFrechetFloor: 80.4, ...(note ? { note } : {}),
  });
  const d = {
    suite: 'image-defaults', date: '2026-01-02T00:00:00.000Z', machine: { description: 'the test host' }, about: 'About the sweep.',
    chosen: { interpolant: 'linear', timeSampling: 'uniform', baseChannels: 8, channelMults: [1, 2, 4], steps: 12000, lr: 0.001, sampler: 'em eps 1.5, 100 steps' },
    runs: [run(10000, 'rk4, 50 steps', 0.786), run(12000, 'em eps 1.5, 100 steps', 0.892), run(32000, 'em eps 1.5, 100 steps', 0.906, 'beyond the 15 minutes')],
  };

  test('bolds the chosen row, marks a noted row, and leaves the others plain', () => {
    const md = renderMarkdown({ 'image-defaults': d });
    assert.match(md, /\n\| linear, uniform \| 8 \| 1, 2, 4 \| 10,000 \| 0\.001 \| rk4, 50 steps \| 78\.6% \| 8\.0% to 12\.0% \| 160\.0 \(80\.4\) \|\n/);
    assert.match(md, /\| \*\*linear, uniform\*\* \| \*\*8\*\* [^\n]*\*\*89\.2%\*\*[^\n]*\(the defaults now\) \|\n/);
    assert.match(md, /\| 32,000 \| 0\.001 \| em eps 1\.5, 100 steps \| 90\.6% \| 8\.0% to 12\.0% \| 160\.0 \(80\.4\) \(beyond the 15 minutes\) \|\n/);
  });

  test('the pretrained model: its sampler probe at part of its training and its final figures, in one paragraph', () => {
    const pretrained = {
      date: '2026-01-03', model: 'models/mnist', training: 'a larger net', steps: 40000, why: 'Why this eps.', replaced: 'the old one',
      samplers: { step: 19553, n: 300, floor: 185.65, rows: [{ sampler: 'em eps 1.5, 100 steps', confidentFraction: 0.91, classifierFrechet: 197.22 }, { sampler: 'em eps 3, 100 steps', confidentFraction: 0.94, classifierFrechet: 200.69 }] },
      final: { command: 'the build', n: 1000, confidentFraction: 0.934, confidentFractionStdErr: 0.00785, classFractionMin: 0.076, classFractionMax: 0.116, classifierFrechet: 111.85, classifierFrechetFloor: 103.08, bitsPerDim: 1.3894 },
    };
    const md = renderMarkdown({ 'image-defaults': { ...d, pretrained } });
    assert.match(md, /\nThe pretrained model \(models\/mnist, 2026-01-03\): a larger net\. At step 19,553, 300 samples of each sampler from one noise seed \(Frechet distance at 300 samples, floor 185\.7\): em eps 1\.5, 100 steps: 91\.0%, 197\.2; em eps 3, 100 steps: 94\.0%, 200\.7\. Why this eps\. At 40,000 steps, by the build: 93\.4% ± 0\.8 points of 1,000 samples confident, classes 7\.6% to 11\.6%, classifier Frechet distance 111\.8 \(floor 103\.1 at 1,000 samples\), held-out 1\.39 bits\/dim; the model it replaced: the old one\.\n/);
    assert.doesNotMatch(renderMarkdown({ 'image-defaults': d }), /The pretrained model/);
  });
});

describe('the GPU-trained pretrained candidates', () => {
  const cand = (name: string, base: number, extra: Record<string, unknown> = {}) => ({
    name, baseChannels: base, channelMults: [1, 2, 4], blocksPerLevel: 1, attention: false, params: 619249, batch: 128, lr: 0.001,
    steps: 10500, trainSeconds: 432.19, stepsPerSec: 24.29, finalLoss: 0.17107, confident: { '1.5': 0.936, '3': 0.938 }, classRange: [0.073, 0.12], ...extra,
  });
  const r = {
    date: '2026-01-04', machine: 'one GPU', command: 'bench/peers/gpu_pretrain.sh 470', about: 'About them.',
    candidates: [cand('b16', 16), cand('b32a2', 32, { blocksPerLevel: 2, attention: true, params: 1536385, confident: { '1.5': 0.917, '3': 0.932 } })],
    check: 'The check.',
    shipped: {
      name: 'b32a2', note: 'Why this one.',
      final: { command: 'the build', n: 1000, confidentFraction: 0.953, confidentFractionStdErr: 0.0067, classFractionMin: 0.078, classFractionMax: 0.12, classifierFrechet: 110.09, classifierFrechetFloor: 101.53, bitsPerDim: 1.2345 },
    },
  };

  test('a row a candidate, the shipped one bold, then FlowLab\'s figures of the shipped model', () => {
    const md = renderMarkdown({ 'gpu-pretrain': r });
    assert.match(md, /\n## Pretrained MNIST model: candidates trained on a GPU\n\nTrained 2026-01-04 on one GPU by `bench\/peers\/gpu_pretrain\.sh 470`\. About them\.\n/);
    assert.match(md, /\n\| b16 \| 16 base channels, levels 1, 2, 4 \| 619,249 \| 128, 0\.001 \| 10,500 \(24\.3\) \| 0\.1711 \| 93\.6% \| 93\.8% \| 7\.3% to 12\.0% \|\n/);
    assert.match(md, /\n\| \*\*b32a2\*\* \| \*\*32 base channels, levels 1, 2, 4, 2 blocks a level, attention\*\* \| \*\*1,536,385\*\* [^\n]*\*\*93\.2%\*\* [^\n]*\(shipped\) \|\n/);
    assert.match(md, /\nThe check\. Why this one\. Measured by FlowLab \(`the build`\): 95\.3% ± 0\.7 points of 1,000 samples confident, classes 7\.8% to 12\.0%, classifier Frechet distance 110\.1 \(floor 101\.5\), held-out 1\.23 bits\/dim\.\n/);
    assert.doesNotMatch(renderMarkdown({}), /candidates trained on a GPU/);
  });
});
