/**
 * How long `flowlab eval` takes on the shipped checkerboard model (imported as a run):
 *   NLL of 10k held-out points, exact divergence, dopri5 rtol = atol = 1e-5;
 *   the sample distances (with floors, exact W2) on 2000 points; the transport geometry.
 * usage: node --import tsx bench/flowlab/evalTiming.ts --points 10000 --threads 2
 * prints one JSON line: { points, nll: { seconds, nfe, nll, klGap }, distances: { seconds }, geometry: { seconds } }
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src-main/store/index.js';
import { importPretrained } from '../../src-main/service/pretrained.js';
import { evaluateRun } from '../../src-main/service/evaluate.js';
import { emit, fail, parseArgs } from './common.js';

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { points: '10000', threads: '2' });
  const store = openStore(mkdtempSync(join(tmpdir(), 'flowlab-eval-bench-')));
  const run = importPretrained(store, 'checkerboard');
  const threads = Number(a.threads);
  const nll = await evaluateRun({ store, runId: run.id, n: Number(a.points), nll: true, solver: 'dopri5', rtol: 1e-5, atol: 1e-5, threads });
  const side = Math.min(2000, Number(a.points));
  const distances = await evaluateRun({ store, runId: run.id, n: side, distances: true, threads });
  const geometry = await evaluateRun({ store, runId: run.id, n: side, geometry: true, threads });
  store.close();
  emit({
    points: nll.n,
    nll: { seconds: nll.seconds, nfe: nll.nfe, nll: nll.nll, klGap: nll.klGap },
    distances: { seconds: distances.seconds, points: side },
    geometry: { seconds: geometry.seconds, points: side },
  });
}

main().catch(fail);
