/**
 * FlowLab's metrics logging rate: rows/s written through the store (`src-main/store`) in the
 * shape training produces them: per fused chunk, K consecutive losses and K gradient norms
 * (`appendMetricRun`, one transaction each). Best of `rounds` timed rounds, into a fresh
 * database in a temporary folder.
 *
 * usage: node --import tsx bench/flowlab/store.ts --chunk 100 --seconds 1 --rounds 3
 * prints one JSON line: { chunk, rows_per_s, rows_per_s_median, rows }
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src-main/store/index.js';
import { emit, fail, parseArgs } from './common.js';

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { chunk: '100', seconds: '1', rounds: '3' });
  const chunk = Number(a.chunk);
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-bench-store-'));
  try {
    const store = openStore(dir);
    const run = store.createRun({ name: 'bench', config: {}, seed: 0, dataset: 'checkerboard', interpolant: 'trig' });
    const losses = Float32Array.from({ length: chunk }, (_, i) => 1 / (1 + i));
    const norms = Float32Array.from({ length: chunk }, (_, i) => 2 / (1 + i));
    let step = 0;
    const rates: number[] = [];
    let rows = 0;
    for (let r = 0; r < Number(a.rounds); r++) {
      let written = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < Number(a.seconds) * 1000) {
        store.appendMetricRun(run.id, 'loss', step, losses);
        store.appendMetricRun(run.id, 'grad_norm', step, norms);
        step += chunk;
        written += 2 * chunk;
        elapsed = performance.now() - start;
      }
      rows += written;
      rates.push(written / (elapsed / 1000));
    }
    store.close();
    rates.sort((x, y) => x - y);
    emit({ chunk, rows_per_s: rates[rates.length - 1], rows_per_s_median: rates[Math.floor(rates.length / 2)], rows });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(fail);
