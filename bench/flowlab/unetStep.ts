/**
 * Forward and forward+backward time of a U-Net velocity net on ONNX Runtime's CPU provider:
 * loss = mean((v(t, x) - x)^2) and its gradient with respect to the flat parameters, as the
 * training step differentiates it (no optimizer update; unetStepModel.ts). Median of `reps` runs
 * after a warm-up. Convs use the blocked CPU layout where this machine has it (--block 0: plain).
 *
 * usage: node --import tsx bench/flowlab/unetStep.ts [--threads 2] [--batch 64] [--reps 5] [--block auto]
 * prints one JSON line: { spec, params, batch, threads, block, forward_ms, forward_backward_ms, gflops_fwd }
 */
import { unetForwardFlopsPerSample, unetParamLayout } from '../../src-main/engine/nets/unet.js';
import { cpuChannelBlock, createSession } from '../../src-main/engine/onnx/runtime.js';
import { emit, fail, parseArgs } from './common.js';
import { MNIST_UNET, unetStepFeeds, unetStepModel } from './unetStepModel.js';

async function time(backward: boolean, batch: number, threads: number, reps: number, block: number): Promise<number> {
  const session = await createSession(unetStepModel(MNIST_UNET, batch, backward, block), { backend: 'cpu', threads });
  const feeds = unetStepFeeds(MNIST_UNET, batch);
  await session.run(feeds);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { threads: '2', batch: '64', reps: '5', block: 'auto' });
  const [threads, batch, reps] = [a.threads, a.batch, a.reps].map(Number);
  const block = a.block === 'auto' ? await cpuChannelBlock() : Number(a.block);
  const fwd = await time(false, batch, threads, reps, block);
  const both = await time(true, batch, threads, reps, block);
  const flops = unetForwardFlopsPerSample(MNIST_UNET) * batch;
  emit({ spec: MNIST_UNET, params: unetParamLayout(MNIST_UNET).total, batch, threads, block, forward_ms: fwd, forward_backward_ms: both, gflops_fwd: flops / 1e9, fwd_gflops_per_s: flops / 1e6 / fwd });
}

main().catch(fail);
