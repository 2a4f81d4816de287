/**
 * SDE against ODE on the trained checkerboard (SCIENCE.md section 6; issue: "on the trained
 * checkerboard, the SDE sampler's energy distance to held-out data is reported beside the
 * ODE's"): the shipped checkerboard model (FlowLab's default experiment, 20000 steps; imported as
 * a run, models/checkerboard.json) sampled by rk4 (the ODE) and by the SDE samplers em and
 * sde-heun at eps 0.1, 0.5 and 1 with several step counts; for each, the energy distance of
 * N samples to N held-out points and the fraction of samples inside the squares, over REPEATS
 * seeds (base draws and noise; the same seeds for every sampler, so differences pair by seed) on the same held-out points; beside them the floor, the energy
 * distance between N training points and the same held-out points (REPEATS disjoint draws).
 * Writes bench/results/sde.json.
 *
 *   node --import tsx bench/flowlab/sdeCheckerboard.ts [--threads N] [--repeats R]     (default 2 threads, 6 seeds)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src-main/store/index.js';
import { importPretrained } from '../../src-main/service/pretrained.js';
import { sampleRun } from '../../src-main/service/sample.js';
import { loadRunData } from '../../src-main/service/runData.js';
import { loadRunWeights } from '../../src-main/service/runModel.js';
import { energyDistance } from '../../src-main/engine/metrics/index.js';
import type { SolverName } from '../../src-main/api/schemas.js';
import { inSquareFraction, parseArgs } from './common.js';

const opts = parseArgs(process.argv.slice(2), { threads: '2', repeats: '6' });
const THREADS = Number(opts.threads);
if (!Number.isInteger(THREADS) || THREADS < 1) throw new Error(`--threads must be a whole number of at least 1, got ${opts.threads}`);
const N = 2000;
const REPEATS = Number(opts.repeats);
if (!Number.isInteger(REPEATS) || REPEATS < 2) throw new Error(`--repeats must be a whole number of at least 2, got ${opts.repeats}`);
const SAMPLERS: { solver: SolverName; eps: number | null; steps: number[] }[] = [
  { solver: 'rk4', eps: null, steps: [10, 50] },
  ...[0.1, 0.5, 1].flatMap((eps) => [
    { solver: 'em' as const, eps, steps: [50, 100, 500] },
    { solver: 'sde-heun' as const, eps, steps: [25, 50, 250] },
  ]),
];

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1) / xs.length);

const dir = mkdtempSync(join(tmpdir(), 'flowlab-sde-'));
const store = openStore(join(dir, 'store'));
try {
  const run = importPretrained(store, 'checkerboard');
  const w = loadRunWeights(store, run.id);
  const data = loadRunData(w.config);
  const d = w.net.dim;
  if (data.test.n < N || data.train.n < REPEATS * N) throw new Error(`the checkerboard run holds ${data.test.n} held-out and ${data.train.n} training points; need ${N} and ${REPEATS * N}`);
  const test = data.test.data.subarray(0, N * d);
  const floors = Array.from({ length: REPEATS }, (_, r) => energyDistance(data.train.data.subarray(r * N * d, (r + 1) * N * d), N, test, N, d));
  const rows = [];
  for (const { solver, eps, steps } of SAMPLERS) {
    for (const k of steps) {
      const ed: number[] = [];
      const inside: number[] = [];
      let seconds = 0;
      let nfe = 0;
      for (let r = 0; r < REPEATS; r++) {
        const s = await sampleRun({ store, runId: run.id, n: N, solver, steps: k, seed: 1000 + r, save: false, threads: THREADS, backend: 'cpu', ...(eps !== null ? { sdeEps: eps } : {}) });
        ed.push(energyDistance(s.x, N, test, N, d));
        inside.push(inSquareFraction(s.x));
        seconds += s.seconds;
        nfe = s.nfe;
      }
      const row = { solver, eps, steps: k, nfe, energyDistance: mean(ed), energyDistanceStdErr: spread(ed), inSquares: mean(inside), seconds: seconds / REPEATS, values: ed };
      console.error(JSON.stringify(row));
      rows.push(row);
    }
  }
  const out = {
    date: new Date().toISOString(), model: 'checkerboard (shipped: default experiment, 20000 steps)', trainingSteps: w.step, n: N, repeats: REPEATS, threads: THREADS, loadAverage: loadavg()[0],
    floor: mean(floors), floorStdErr: spread(floors), floors, rows,
  };
  writeFileSync(join(import.meta.dirname, '../results/sde.json'), JSON.stringify(out, null, 2) + '\n');
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
