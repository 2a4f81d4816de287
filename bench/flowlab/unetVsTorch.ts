/**
 * U-Net training step, FlowLab against PyTorch eager on the same CPU threads, alternating in one
 * run: the step of unetStepModel.ts (loss and gradient for the flat parameters) and the same
 * step in bench/peers/unet_torch.py (loss.backward()). The peer first loads FlowLab's parameters
 * and inputs and must give FlowLab's loss, so both run the same net on the same numbers.
 *
 * usage: node --import tsx bench/flowlab/unetVsTorch.ts [--threads 2] [--batch 64] [--passes 4] [--steps 2]
 * prints one JSON line: { threads, batch, load_before, load_after, ours_ms, torch_ms,
 *   steps_per_s_ratio (ours / torch, from the medians), pass_ratio_median (the median of each
 *   pass's torch_ms / ours_ms: load that changes slowly cancels), passes: [{ ours_ms, torch_ms }] }
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { unetParamLayout } from '../../src-main/engine/nets/unet.js';
import { cpuChannelBlock, createSession } from '../../src-main/engine/onnx/runtime.js';
import { emit, fail, parseArgs } from './common.js';
import { MNIST_UNET, unetStepFeeds, unetStepModel } from './unetStepModel.js';

/** FlowLab's and PyTorch's float32 losses on the same inputs agree to this relative error. */
const LOSS_RTOL = 1e-4;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((l) => +l.toFixed(2));

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { block: 'auto', threads: '2', batch: '64', passes: '4', steps: '2' });
  const [threads, batch, passes, steps] = [a.threads, a.batch, a.passes, a.steps].map(Number);
  const loadBefore = load();
  const session = await createSession(unetStepModel(MNIST_UNET, batch, true, a.block === 'auto' ? await cpuChannelBlock() : Number(a.block)), { backend: 'cpu', threads });
  const feeds = unetStepFeeds(MNIST_UNET, batch);
  const ourLoss = ((await session.run(feeds)).loss.data as Float32Array)[0];

  const dir = mkdtempSync(join(tmpdir(), 'flowlab-unet-peer-'));
  for (const name of ['params', 'x', 't'] as const) writeFileSync(join(dir, `${name}.f32`), feeds[name].data as Float32Array);
  const peer = spawn('python3', [join(import.meta.dirname, '../peers/unet_torch.py'), '--threads', String(threads), '--batch', String(batch), '--check', dir, '--params', String(unetParamLayout(MNIST_UNET).total)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: peer.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('the PyTorch peer exited early');
    return JSON.parse(r.value as string);
  };
  try {
    const ready = await next();
    if (Math.abs(ready.loss - ourLoss) > LOSS_RTOL * Math.abs(ourLoss)) throw new Error(`PyTorch's loss ${ready.loss} differs from FlowLab's ${ourLoss}: not the same net`);
    const rows: { ours_ms: number; torch_ms: number }[] = [];
    for (let p = 0; p < passes; p++) {
      const ours: number[] = [];
      for (let s = 0; s < steps; s++) {
        const t0 = performance.now();
        await session.run(feeds);
        ours.push(performance.now() - t0);
      }
      peer.stdin!.write(`run ${steps}\n`);
      const torchMs = (await next()).ms as number[];
      rows.push({ ours_ms: +median(ours).toFixed(1), torch_ms: +median(torchMs).toFixed(1) });
    }
    const oursMs = median(rows.map((r) => r.ours_ms));
    const torchMs = median(rows.map((r) => r.torch_ms));
    emit({ threads, batch, params: ready.params, torch: ready.torch, loss: ourLoss, torch_loss: ready.loss, load_before: loadBefore, load_after: load(), ours_ms: oursMs, torch_ms: torchMs, steps_per_s_ratio: +(torchMs / oursMs).toFixed(3), pass_ratio_median: +median(rows.map((r) => r.torch_ms / r.ours_ms)).toFixed(3), passes: rows });
  } finally {
    peer.stdin!.end('quit\n');
    await session.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(fail);
