/**
 * A/B of two builds of the U-Net step in one process, alternating, on a shared machine: each
 * pass runs A once and B once (order swapped every pass); the figure is the median over passes
 * of time(B) / time(A), so load that changes slowly cancels.
 *
 * usage: node --import tsx bench/flowlab/unetAB.ts --save PATH          (this tree's step model)
 *        node --import tsx bench/flowlab/unetAB.ts --a PATH --b PATH [--passes 6] [--threads 2] [--batch 64]
 * prints one JSON line: { a_ms, b_ms (medians), b_over_a (median of pass ratios), load, passes }
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { cpuChannelBlock, createSession } from '../../src-main/engine/onnx/runtime.js';
import { emit, fail, parseArgs } from './common.js';
import { MNIST_UNET, unetStepFeeds, unetStepModel } from './unetStepModel.js';

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { block: 'auto', save: '', a: '', b: '', passes: '6', threads: '2', batch: '64' });
  const batch = Number(a.batch);
  if (a.save) {
    writeFileSync(a.save, unetStepModel(MNIST_UNET, batch, true, a.block === 'auto' ? await cpuChannelBlock() : Number(a.block)));
    return;
  }
  const opts = { backend: 'cpu' as const, threads: Number(a.threads) };
  const sa = await createSession(readFileSync(a.a), opts);
  const sb = await createSession(readFileSync(a.b), opts);
  const feeds = unetStepFeeds(MNIST_UNET, batch);
  await sa.run(feeds);
  await sb.run(feeds);
  const time = async (s: typeof sa) => {
    const t0 = performance.now();
    await s.run(feeds);
    return performance.now() - t0;
  };
  const loadBefore = loadavg()[0];
  const rows: { a_ms: number; b_ms: number }[] = [];
  for (let p = 0; p < Number(a.passes); p++) {
    const [first, second] = p % 2 === 0 ? [sa, sb] : [sb, sa];
    const t1 = await time(first);
    const t2 = await time(second);
    rows.push(p % 2 === 0 ? { a_ms: Math.round(t1), b_ms: Math.round(t2) } : { a_ms: Math.round(t2), b_ms: Math.round(t1) });
  }
  emit({ a_ms: median(rows.map((r) => r.a_ms)), b_ms: median(rows.map((r) => r.b_ms)), b_over_a: +median(rows.map((r) => r.b_ms / r.a_ms)).toFixed(3), load: [loadBefore, loadavg()[0]].map((l) => +l.toFixed(1)), passes: rows });
}

main().catch(fail);
