/**
 * Where the U-Net step's time goes: the step of unetStepModel.ts under ONNX Runtime's profiler,
 * node time summed per op type and the slowest single nodes, from the last of `runs` warm runs.
 *
 * usage: node --import tsx bench/flowlab/unetProfile.ts [--threads 2] [--batch 64] [--runs 2] [--forward 1] [--net large|JSON]
 * (--net: a net of unetRecipe.ts laid over the MNIST defaults; without it, MNIST_UNET)
 * prints one JSON line: { batch, threads, wall_ms, node_ms, ops: [{ op, ms, share, nodes }], top: [{ node, op, ms }] }
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UnetSpec } from '../../src-main/engine/nets/unet.js';
import { cpuChannelBlock, createSession } from '../../src-main/engine/onnx/runtime.js';
import { emit, fail, lastRunKernels, parseArgs } from './common.js';
import { MNIST_UNET, unetStepFeeds, unetStepModel } from './unetStepModel.js';
import { mnistNet, parseNetArg, unetBenchConfig } from './unetRecipe.js';

export interface UnetProfile {
  batch: number;
  threads: number;
  backward: boolean;
  wall_ms: number;
  node_ms: number;
  ops: { op: string; ms: number; share: number; nodes: number }[];
  top: { node: string; op: string; ms: number }[];
}

/** The profile of the last of `runs` warm runs of the step of `spec` at `batch`. */
export async function profileUnetStep(o: { spec: UnetSpec; batch: number; threads: number; runs: number; top: number; backward: boolean; block?: number }): Promise<UnetProfile> {
  const { spec, batch, threads, backward } = o;
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-unet-profile-'));
  try {
    const session = await createSession(unetStepModel(spec, batch, backward, o.block ?? (await cpuChannelBlock())), { backend: 'cpu', threads, profilePrefix: join(dir, 'unet') });
    const feeds = unetStepFeeds(spec, batch);
    let wall = 0;
    for (let r = 0; r < o.runs; r++) {
      const t0 = performance.now();
      await session.run(feeds);
      wall = performance.now() - t0;
    }
    session.endProfiling();
    await session.release();
    const byOp = new Map<string, { us: number; nodes: number }>();
    const nodes: { node: string; op: string; ms: number }[] = [];
    let total = 0;
    for (const k of lastRunKernels(dir)) {
      const s = byOp.get(k.op) ?? { us: 0, nodes: 0 };
      s.us += k.us;
      s.nodes++;
      byOp.set(k.op, s);
      nodes.push({ node: k.node, op: k.op, ms: k.us / 1000 });
      total += k.us;
    }
    const ops = [...byOp.entries()].sort((x, y) => y[1].us - x[1].us).map(([op, s]) => ({ op, ms: s.us / 1000, share: +(s.us / total).toFixed(3), nodes: s.nodes }));
    const top = nodes.sort((x, y) => y.ms - x.ms).slice(0, o.top);
    return { batch, threads, backward, wall_ms: wall, node_ms: total / 1000, ops, top };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { block: 'auto', batch: '64', threads: '2', runs: '2', top: '15', forward: '0', net: '' });
  const spec = a.net ? mnistNet(unetBenchConfig({ net: parseNetArg(a.net) })) as UnetSpec : MNIST_UNET;
  emit(await profileUnetStep({ spec, batch: Number(a.batch), threads: Number(a.threads), runs: Number(a.runs), top: Number(a.top), backward: a.forward !== '1', ...(a.block === 'auto' ? {} : { block: Number(a.block) }) }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main().catch(fail);
