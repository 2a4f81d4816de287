/**
 * U-Net training and sampling throughput, FlowLab against PyTorch eager on the same CPU threads,
 * alternating in one run. For each net (the service's default MNIST U-Net at its default batch,
 * and a larger one: base 32, [1, 2, 2], attention) it times:
 *   - the full training step the service runs: ImageTrainSession.advance (the host gathers and
 *     dequantises the batch; the program draws t and x0, computes the loss, its gradient, clips,
 *     takes Adam's step and updates the EMA), against bench/peers/unet_train_torch.py's step
 *     (the same net, batch, data, interpolant, loss, Adam, clipping and EMA, in eager PyTorch);
 *   - sampling: images per second generating --sample-batch images with euler and rk4 in
 *     --sample-steps steps from the EMA net (FlowLab: NetSampler, as `flowlab sample`; PyTorch: one
 *     batch through the same solver).
 * Before timing, the peer reproduces FlowLab's losses, optimizer steps, EMA and euler samples on
 * the same inputs (unetRecipe.ts writePeerCheck). Passes alternate their order (A B, B A, ...);
 * each figure is the median over passes, and the ratio's pass median is reported beside it. Where
 * FlowLab's step is slower than PyTorch's, the step's ONNX Runtime profile (unetProfile.ts) is
 * kept with the result.
 *
 * usage: node --import tsx bench/flowlab/unetTrainVsTorch.ts [--threads 2] [--nets default,large] [--batch N]
 *          [--passes 4] [--steps 2] [--sample-batch 256] [--sample-steps 10] [--sample-passes 2]
 *          [--profile 1] [--seed 1] [--out bench/results/unet-train.json] [--summary 1]
 * writes --out (rendered into BENCHMARKS.md by bench/summarize.mjs) and prints it as one JSON line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import { netDim, netParamCount, UNET_ROWS_PER_CALL, type NetSpec } from '../../src-main/engine/nets/velocityNet.js';
import type { UnetSpec } from '../../src-main/engine/nets/unet.js';
import { Rng } from '../../src-main/engine/random.js';
import { NetSampler } from '../../src-main/engine/sample/netSampler.js';
import { ImageTrainSession, initialImageState } from '../../src-main/engine/train/imageTrainSession.js';
import { REPO_ROOT } from '../lib/child.mjs';
import { Interactive } from '../lib/interactive.mjs';
import { machineInfo } from '../lib/machine.mjs';
import { summarize } from '../summarize.mjs';
import { emit, fail, parseArgs } from './common.js';
import { profileUnetStep, type UnetProfile } from './unetProfile.js';
import { exportTrainSplit, mnistNet, peerRecipe, unetBenchConfig, writePeerCheck } from './unetRecipe.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((l) => +l.toFixed(2));
/** Stream of the sampling benchmark's base draws. */
const BENCH_SAMPLE_STREAM = 0x55534d50; // "USMP"

interface Pass {
  flowlab_ms: number;
  torch_ms: number;
}

/** Runs `passes` alternating passes (A B, B A, ...) of two timed sides; each side returns ms. */
async function alternate(passes: number, ours: () => Promise<number>, theirs: () => Promise<number>): Promise<Pass[]> {
  const rows: Pass[] = [];
  for (let p = 0; p < passes; p++) {
    let a = 0;
    let b = 0;
    if (p % 2 === 0) {
      a = await ours();
      b = await theirs();
    } else {
      b = await theirs();
      a = await ours();
    }
    rows.push({ flowlab_ms: +a.toFixed(2), torch_ms: +b.toFixed(2) });
  }
  return rows;
}

/** Medians of the passes, the ratio of rates (FlowLab / PyTorch) and the median of the per-pass ratios. */
export function summarizePasses(rows: Pass[]): { flowlab_ms: number; torch_ms: number; ratio: number; pass_ratio_median: number } {
  const flowlab = median(rows.map((r) => r.flowlab_ms));
  const torch = median(rows.map((r) => r.torch_ms));
  return { flowlab_ms: flowlab, torch_ms: torch, ratio: +(torch / flowlab).toFixed(3), pass_ratio_median: +median(rows.map((r) => r.torch_ms / r.flowlab_ms)).toFixed(3) };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), {
    threads: '2', nets: 'default,large', batch: '', passes: '4', steps: '2', 'sample-batch': '256', 'sample-steps': '10', 'sample-passes': '2',
    profile: '1', seed: '1', out: join(REPO_ROOT, 'bench/results/unet-train.json'), summary: '1',
  });
  const threads = Number(a.threads);
  const [passes, steps, sampleBatch, sampleSteps, samplePasses] = [a.passes, a.steps, a['sample-batch'], a['sample-steps'], a['sample-passes']].map(Number);
  const machine = machineInfo(threads);
  if (machine.torchMissing) throw new Error(`PyTorch is needed: ${machine.torchMissing}`);
  const loadBefore = load();
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'flowlab-unet-train-'));
  const nets: Record<string, unknown>[] = [];
  const sampling: Record<string, unknown>[] = [];
  try {
    for (const name of a.nets.split(',')) {
      const config = unetBenchConfig({ seed: Number(a.seed), net: name, train: a.batch ? { batch: Number(a.batch) } : {}, threads });
      const net = mnistNet(config);
      const dir = join(work, name);
      mkdirSync(dir, { recursive: true });
      const { train } = await exportTrainSplit(config, join(dir, 'train.npy'));
      writeFileSync(join(dir, 'recipe.json'), JSON.stringify(peerRecipe(config)));
      await writePeerCheck(join(dir, 'check'), config, train);
      const session = await ImageTrainSession.create({ config, net, interpolant: getInterpolant(config.interpolant), images: train, state: initialImageState(net, config.train.seed), backend: 'cpu', threads });
      const peer = new Interactive('python3', [join(REPO_ROOT, 'bench/peers/unet_train_torch.py'), '--recipe', join(dir, 'recipe.json'), '--data', join(dir, 'train.npy'), '--check', join(dir, 'check'), '--threads', String(threads), '--seed', a.seed, '--serve'], `peer unet_train_torch.py (${name})`);
      try {
        const ready = await peer.ask();
        await session.advance(1);
        const oursStep = async () => {
          const ms: number[] = [];
          for (let s = 0; s < steps; s++) {
            const t0 = performance.now();
            await session.advance(1);
            ms.push(performance.now() - t0);
          }
          return median(ms);
        };
        const torchStep = async () => median((await peer.ask(`train ${steps}`)).ms as number[]);
        const rows = await alternate(passes, oursStep, torchStep);
        const s = summarizePasses(rows);
        let profile: UnetProfile | undefined;
        if (a.profile === '1' && s.ratio < 1) profile = await profileUnetStep({ spec: net as UnetSpec, batch: config.train.batch, threads, runs: 2, top: 10, backward: true });
        nets.push({ name, net: config.net, params: netParamCount(net), batch: config.train.batch, check: ready.check, torch: ready.torch, ...s, passes: rows, ...(profile ? { profile } : {}) });
        sampling.push(...(await timeSampling(name, net, session.state.ema, peer, { threads, sampleBatch, sampleSteps, samplePasses, seed: Number(a.seed) })));
      } finally {
        peer.ask(null).catch(() => {});
        peer.kill();
        await session.release();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const result = {
    suite: 'unet-train', machine, date: new Date().toISOString(), threads, load_before: loadBefore, load_after: load(), seconds: +((performance.now() - started) / 1000).toFixed(1),
    passes, steps_per_pass: steps, sample: { batch: sampleBatch, steps: sampleSteps, passes: samplePasses, flowlabRowsPerCall: UNET_ROWS_PER_CALL },
    nets, sampling,
  };
  mkdirSync(dirname(a.out), { recursive: true });
  writeFileSync(a.out, JSON.stringify(result, null, 2) + '\n');
  if (a.summary === '1') summarize();
  emit(result);
}

async function timeSampling(name: string, net: NetSpec, params: Float32Array, peer: Interactive, o: { threads: number; sampleBatch: number; sampleSteps: number; samplePasses: number; seed: number }) {
  const D = netDim(net);
  const x0 = new Rng(o.seed, BENCH_SAMPLE_STREAM).fillNormal(new Float32Array(o.sampleBatch * D)) as Float32Array;
  const sampler = new NetSampler(net, params, 'cpu', o.threads);
  const out: Record<string, unknown>[] = [];
  try {
    for (const method of ['euler', 'rk4'] as const) {
      // Warm-up: builds the solver's session (its rows per call do not depend on n beyond them).
      await sampler.solve(x0.subarray(0, Math.min(o.sampleBatch, UNET_ROWS_PER_CALL) * D), Math.min(o.sampleBatch, UNET_ROWS_PER_CALL), { solver: method, steps: 1, t0: 0, t1: 1 });
      await peer.ask(`sample ${method} 1 8`);
      const ours = async () => {
        const t0 = performance.now();
        await sampler.solve(x0, o.sampleBatch, { solver: method, steps: o.sampleSteps, t0: 0, t1: 1 });
        return performance.now() - t0;
      };
      const theirs = async () => (await peer.ask(`sample ${method} ${o.sampleSteps} ${o.sampleBatch}`)).ms as number;
      const rows = await alternate(o.samplePasses, ours, theirs);
      const s = summarizePasses(rows);
      const perS = (ms: number) => +((o.sampleBatch * 1000) / ms).toFixed(2);
      out.push({ net: name, method, steps: o.sampleSteps, batch: o.sampleBatch, flowlab_images_per_s: perS(s.flowlab_ms), torch_images_per_s: perS(s.torch_ms), ...s, passes: rows });
    }
  } finally {
    await sampler.release();
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main().catch(fail);
