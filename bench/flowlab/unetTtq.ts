/**
 * Time to quality on images: FlowLab's MNIST U-Net training against the same training in PyTorch
 * eager (bench/peers/unet_train_torch.py), side by side in one run. Both train the experiment of
 * `defaultConfig('mnist', seed)` (net and training fields may be laid over it) on FlowLab's own
 * training split (exported to NPY, so both see the same digits), from the same initial
 * parameters, each for the same budget of training seconds; at each horizon each writes 1000 EMA
 * samples (rk4, 20 steps). Every snapshot is then scored by scripts/scoreDigits.ts (the shipped
 * classifier: confident fraction, class shares, classifier Frechet distance and its floor).
 *
 * The two sides run at the same time, each with --threads threads (1 each on a 2-core machine, so
 * neither waits for a core). The schedule is the same total-step plan on both sides: by default a
 * constant rate after the warmup (a run of fixed duration has no step count to end a cosine on);
 * with --schedule cosine --steps N both decay over the same N steps. Before the race the peer
 * must reproduce FlowLab's step-0 loss, optimizer step and EMA, and its euler samples.
 *
 * usage: node --import tsx bench/flowlab/unetTtq.ts [--horizons 300,600,1200] [--threads 1] [--seed 1]
 *          [--net JSON] [--schedule constant|cosine] [--steps N] [--samples 1000] [--sample-steps 20]
 *          [--out bench/results/unet-ttq.json] [--work bench/.cache/unet-ttq] [--summary 1]
 * writes --out (rendered into BENCHMARKS.md by bench/summarize.mjs) and prints it as one JSON line.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import type { TrainConfig } from '../../src-main/api/config.js';
import { REPO_ROOT, runJson } from '../lib/child.mjs';
import { machineInfo } from '../lib/machine.mjs';
import { summarize } from '../summarize.mjs';
import { emit, fail, parseArgs } from './common.js';
import { exportTrainSplit, parseNetArg, peerRecipe, unetBenchConfig, writePeerCheck } from './unetRecipe.js';

const load = () => loadavg().map((l) => +l.toFixed(2));

interface Shot {
  seconds: number;
  trained_s: number;
  steps: number;
  loss: number;
  sample_s: number;
  samples: string;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), {
    horizons: '300,600,1200', threads: '1', seed: '1', net: '{}', schedule: 'constant', steps: '', samples: '1000', 'sample-steps': '20',
    out: join(REPO_ROOT, 'bench/results/unet-ttq.json'), work: join(REPO_ROOT, 'bench/.cache/unet-ttq'), summary: '1',
  });
  const horizons = a.horizons.split(',').map(Number);
  if (!horizons.every((h) => h > 0)) throw new Error(`--horizons must be positive seconds, got ${a.horizons}`);
  const budget = Math.max(...horizons);
  const threads = Number(a.threads);
  if (a.schedule !== 'constant' && a.schedule !== 'cosine') throw new Error(`--schedule must be constant or cosine, got ${a.schedule}`);
  if (a.schedule === 'cosine' && !a.steps) throw new Error('--schedule cosine needs --steps, the step count both sides decay over');
  const train: Partial<TrainConfig> = { schedule: a.schedule, ...(a.steps ? { steps: Number(a.steps) } : {}) };
  const config = unetBenchConfig({ seed: Number(a.seed), net: parseNetArg(a.net), train, threads });
  const machine = machineInfo(threads);
  const loadBefore = load();

  rmSync(a.work, { recursive: true, force: true });
  const snapshots = join(a.work, 'samples');
  mkdirSync(snapshots, { recursive: true });
  const data = join(a.work, 'train.npy');
  const { n, train: images } = await exportTrainSplit(config, data);
  writeFileSync(join(a.work, 'config.json'), JSON.stringify(config));
  writeFileSync(join(a.work, 'recipe.json'), JSON.stringify(peerRecipe(config)));
  const check = join(a.work, 'check');
  await writePeerCheck(check, config, images);

  const common = ['--snapshots', horizons.join(','), '--out', snapshots, '--threads', String(threads), '--samples', a.samples, '--sample-steps', a['sample-steps']];
  // Training, the snapshots' sampling, and set-up: generous, so only a hung side times out.
  const timeoutS = budget * 2 + 1800;
  const started = performance.now();
  const [ours, torch] = await Promise.all([
    runJson(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench/flowlab/unetTrainTimed.ts'), '--config', join(a.work, 'config.json'), '--budget', String(budget), ...common], { timeoutS, label: 'FlowLab unetTrainTimed.ts' }),
    machine.torchMissing
      ? Promise.resolve({ ok: false as const, reason: machine.torchMissing, seconds: 0 })
      : runJson('python3', [join(REPO_ROOT, 'bench/peers/unet_train_torch.py'), '--recipe', join(a.work, 'recipe.json'), '--data', data, '--check', check, '--seed', a.seed, '--budget', String(budget), ...common], { timeoutS, label: 'peer unet_train_torch.py' }),
  ]);
  const raceS = (performance.now() - started) / 1000;
  const loadAfter = load();

  const side = async (r: Awaited<ReturnType<typeof runJson>>) => {
    if (!r.ok) return { missing: r.reason };
    const shots: (Shot & { score?: unknown; scoreMissing?: string })[] = r.value.snapshots;
    for (const s of shots) {
      const scored = await runJson(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/scoreDigits.ts'), s.samples], { timeoutS: 600, label: 'scoreDigits.ts' });
      if (scored.ok) s.score = scored.value;
      else s.scoreMissing = scored.reason;
    }
    return { steps: r.value.steps, trained_s: r.value.trained_s, ...(r.value.check ? { check: r.value.check } : {}), snapshots: shots };
  };
  const result = {
    suite: 'unet-ttq',
    machine,
    date: new Date().toISOString(),
    concurrent: true,
    threads,
    load_before: loadBefore,
    load_after: loadAfter,
    race_s: +raceS.toFixed(1),
    horizons,
    samples: Number(a.samples),
    sampleSteps: Number(a['sample-steps']),
    trainImages: n,
    config: { net: config.net, train: config.train, interpolant: config.interpolant },
    recipe: peerRecipe(config),
    flowlab: await side(ours),
    torch: await side(torch),
  };
  mkdirSync(dirname(a.out), { recursive: true });
  writeFileSync(a.out, JSON.stringify(result, null, 2) + '\n');
  if (a.summary === '1') summarize();
  emit(result);
}

main().catch(fail);
