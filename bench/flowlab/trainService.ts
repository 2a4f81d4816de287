/**
 * FlowLab's training throughput as a user gets it: the service's `trainRun` (the fused program
 * plus every step's loss and gradient norm written to the store, progress events, checkpoints
 * every few seconds) on the benchmark experiment, stopped after a fixed time. steps/s is counted
 * from the first loss event to the stop (session set-up excluded).
 *
 * usage: node --import tsx bench/flowlab/trainService.ts --batch 1024 --seconds 5 --threads 2
 * prints one JSON line: { batch, steps_per_s, steps, seconds, status }
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainRun } from '../../src-main/service/train.js';
import { openStore } from '../../src-main/store/index.js';
import { benchConfig, emit, fail, parseArgs } from './common.js';

const SEED = 1234;

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { batch: '1024', seconds: '5', threads: '2' });
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-bench-service-'));
  try {
    const store = openStore(dir);
    const stop = new AbortController();
    let firstAt = 0;
    let firstStep = 0;
    let lastAt = 0;
    let lastStep = 0;
    const summary = await trainRun({
      store,
      config: benchConfig(Number(a.batch), SEED, Number(a.threads)),
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type !== 'loss') return;
        const now = performance.now();
        const end = e.steps[e.steps.length - 1] + 1;
        if (!firstAt) {
          firstAt = now;
          firstStep = end;
          setTimeout(() => stop.abort(), Number(a.seconds) * 1000);
        } else {
          lastAt = now;
          lastStep = end;
        }
      },
    });
    store.close();
    if (!lastAt) throw new Error(`training ended (${summary.status}) before two chunks were done`);
    const seconds = (lastAt - firstAt) / 1000;
    emit({ batch: Number(a.batch), steps_per_s: (lastStep - firstStep) / seconds, steps: lastStep - firstStep, seconds, status: summary.status });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(fail);
