/**
 * FlowLab's training throughput: the fused K-step training program (engine/train) on the
 * benchmark experiment, steps/s and achieved GFLOP/s at each batch size, best of `rounds` timed
 * rounds, with K chosen so one call takes about CHUNK_TARGET_MS.
 *   GFLOP/s = steps/s * 6 * batch * sum over layers of (in * out) / 1e9
 *
 * usage: node --import tsx bench/flowlab/train.ts --batches 256,1024,4096 --seconds 2 --rounds 3 --threads 2 [--program autodiff|handwritten]
 * (--program handwritten: the same program with the backward written by hand, handwritten.ts)
 * prints one JSON line: { threads, results: [{ batch, steps_per_s, steps_per_s_median, gflops, k, build_s, final_loss }] }
 */
import { benchSession, chunkSteps, emit, fail, parseArgs } from './common.js';
import { forwardFlopsPerSample } from '../../src-main/engine/nets/mlp.js';
import type { LossAndGrads } from '../../src-main/engine/train/trainProgram.js';
import { handwrittenLossAndGrads } from './handwritten.js';

const SEED = 1234;
/** Calls before the clock starts: the first runs allocate and plan memory. */
const WARMUP_CALLS = 2;

async function measure(batch: number, seconds: number, rounds: number, threads: number, lossAndGrads?: LossAndGrads) {
  const { session, net, buildS } = await benchSession(batch, SEED, threads, lossAndGrads);
  // forward FLOPs are 2 per multiply-add; a training step counts 6 (forward + backward).
  const flopsPerStep = 3 * batch * forwardFlopsPerSample(net);
  let k = 4;
  for (let i = 0; i < WARMUP_CALLS; i++) {
    const start = performance.now();
    await session.advance(k);
    k = chunkSteps((performance.now() - start) / k);
  }
  const rates: number[] = [];
  let loss = NaN;
  for (let r = 0; r < rounds; r++) {
    let steps = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      const out = await session.advance(k);
      loss = out.losses[out.losses.length - 1];
      steps += k;
      elapsed = performance.now() - start;
    }
    rates.push(steps / (elapsed / 1000));
  }
  await session.release();
  rates.sort((a, b) => a - b);
  const best = rates[rates.length - 1];
  return {
    batch,
    steps_per_s: best,
    steps_per_s_median: rates[Math.floor(rates.length / 2)],
    gflops: (best * flopsPerStep) / 1e9,
    k,
    build_s: buildS,
    final_loss: loss,
  };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { batches: '256,1024,4096', seconds: '2', rounds: '3', threads: '2', program: 'autodiff' });
  if (a.program !== 'autodiff' && a.program !== 'handwritten') throw new Error(`--program must be autodiff or handwritten, got ${a.program}`);
  const lossAndGrads = a.program === 'handwritten' ? handwrittenLossAndGrads : undefined;
  const results = [];
  for (const batch of a.batches.split(',').map(Number)) {
    results.push(await measure(batch, Number(a.seconds), Number(a.rounds), Number(a.threads), lossAndGrads));
  }
  emit({ threads: Number(a.threads), program: a.program, results });
}

main().catch(fail);
