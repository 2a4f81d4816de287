/**
 * Shorter paths, measured (SCIENCE.md section 5; issue: "shorter paths need fewer steps"): from
 * N(0, I) to 8gaussians and to moons, the default run (trig, independent pairs) against the
 * OT-coupled runs (train.coupling 'ot') with the linear interpolant (OT-CFM: a close pair moves in
 * a straight line) and with trig (whose arcs bulge out even for x1 = x0, so OT pairs alone do not
 * straighten them), the linear interpolant with independent pairs, and the learned interpolant
 * (trig plus a sine series fitted by the max-min); same net, steps, batch, seed.
 * For each run: the kinetic energy of the learned flow along its own trajectories (rk4, K steps of size h from base draws:
 * KE = E sum_k |X_{k+1} - X_k|^2 / h, which is integral E|v|^2 dt up to O(h)) and its straightness
 * E|X_1 - X_0|^2 / KE (1: straight lines at constant speed). Along the trajectories, not at the
 * interpolant's x_t as `eval --geometry` measures: an OT-coupled flow has other marginals. Then the quality-versus-NFE
 * curve at euler and rk4 with 2..32 steps, and the NFE a run needs to reach the default run's
 * rk4-50 quality:
 *   8gaussians: the KL gap (held-out NLL by the k-step likelihood solve minus the true entropy). A
 *               run qualifies when its own rk4-50 KL gap is at most the default's + 0.02 nats; it
 *               reaches it at the fewest NFE whose KL gap is within 0.02 of its rk4-50 one (a
 *               coarse solve's likelihood is biased either way: euler-2 can read below the entropy).
 *   moons (no closed-form density): the mean distance of k-step samples to the run's own rk4-50
 *               samples from the same base points (the solver error, data units). A run
 *               qualifies when its rk4-50 energy distance to held-out data is at most the default's
 *               plus the floor (two data samples); it reaches it at the fewest NFE within 0.05.
 * Writes bench/results/paths.json.
 *
 *   node --import tsx bench/flowlab/paths.ts [steps]     (default 3000)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src-main/api/config.js';
import { openStore, type Store } from '../../src-main/store/index.js';
import { runTraining } from '../../src-main/service/runTraining.js';
import { loadRunData } from '../../src-main/service/runData.js';
import { loadRunWeights } from '../../src-main/service/runModel.js';
import { resolveBackend } from '../../src-main/engine/onnx/runtime.js';
import { Rng } from '../../src-main/engine/random.js';
import { energyDistance } from '../../src-main/engine/metrics/index.js';
import { standardNormalLogDensity, logLikelihood } from '../../src-main/engine/sample/likelihood.js';
import { netDivergence } from '../../src-main/engine/sample/netDivergence.js';
import { NetSampler } from '../../src-main/engine/sample/netSampler.js';
import { nfeCurve, nfeToReach, type NfePoint } from '../../src-main/engine/sample/nfeCurve.js';
import type { FixedMethod } from '../../src-main/engine/sample/rungeKutta.js';

const STEPS = Number(process.argv[2] ?? 3000);
const BATCH = 256;
const SEED = 1;
/** Held-out points per figure. */
const N = 1000;
const KL_TOLERANCE = 0.02;
/** Moons: k-step samples this close (mean distance, data units; the data spans about 3) to the rk4-50 ones. */
const SAMPLE_TOLERANCE = 0.05;
const REFERENCE = { method: 'rk4' as const, steps: 50 };

interface RunFigures {
  coupling: string;
  interpolant: string;
  runId: string;
  trainSeconds: number;
  uniformLoss: number | null;
  kineticEnergy: number;
  straightness: number;
  reference: number;
  curve: NfePoint[];
}

async function quality(store: Store, runId: string, dataset: string): Promise<(method: FixedMethod, steps: number) => Promise<number>> {
  const w = loadRunWeights(store, runId);
  const data = loadRunData(w.config);
  const d = w.net.dim;
  const test = data.test.data.subarray(0, N * d);
  const backend = await resolveBackend('cpu', 'solve');
  if (dataset === '8gaussians') {
    const entropy = data.train.entropy!.value;
    const div = await netDivergence(w.net, w.params, { probes: 0, seed: SEED, backend, threads: 2 });
    return async (method, steps) => {
      const r = await logLikelihood(div.fn, test, N, d, { solver: method, steps, at: 1, baseLogDensity: standardNormalLogDensity });
      return r.nll - entropy;
    };
  }
  const sampler = new NetSampler(w.net, w.params, backend, 2);
  const x0 = new Rng(SEED, 7).fillNormal(new Float32Array(N * d)) as Float32Array;
  const solve = async (method: FixedMethod, steps: number) => (await sampler.solve(x0, N, { solver: method, steps, t0: 0, t1: 1 })).x;
  const ref = await solve(REFERENCE.method, REFERENCE.steps);
  return async (method, steps) => {
    if (method === REFERENCE.method && steps === REFERENCE.steps) return energyDistance(ref, N, test, N, d);
    const x = await solve(method, steps);
    let sum = 0;
    for (let p = 0; p < N; p++) sum += Math.hypot(...Array.from({ length: d }, (_, j) => x[p * d + j] - ref[p * d + j]));
    return sum / N;
  };
}

/** Kinetic energy and straightness along the flow's own trajectories (see the header). */
async function trajectoryGeometry(store: Store, runId: string): Promise<{ kineticEnergy: number; straightness: number }> {
  const K = 64;
  const w = loadRunWeights(store, runId);
  const d = w.net.dim;
  const sampler = new NetSampler(w.net, w.params, await resolveBackend('cpu', 'solve'), 2);
  try {
    const x0 = new Rng(SEED, 9).fillNormal(new Float32Array(N * d)) as Float32Array;
    const r = await sampler.solve(x0, N, { solver: 'rk4', steps: K, t0: 0, t1: 1, snapshots: true });
    const states = [x0, ...r.trajectory!];
    let ke = 0;
    for (let k = 0; k < K; k++) for (let i = 0; i < N * d; i++) ke += (states[k + 1][i] - states[k][i]) ** 2;
    ke = (ke * K) / N;
    let disp = 0;
    for (let i = 0; i < N * d; i++) disp += (r.x[i] - x0[i]) ** 2;
    return { kineticEnergy: ke, straightness: disp / N / ke };
  } finally {
    await sampler.release();
  }
}

async function measure(store: Store, dataset: string, coupling: 'independent' | 'ot', interpolant: 'trig' | 'linear' | 'learned'): Promise<RunFigures> {
  const config = defaultConfig(dataset, SEED);
  config.name = `${dataset} ${interpolant} ${coupling}`;
  config.interpolant = interpolant;
  Object.assign(config.train, { steps: STEPS, batch: BATCH, coupling });
  config.threads = 2;
  const started = performance.now();
  const summary = await runTraining({ store, config });
  const trainSeconds = (performance.now() - started) / 1000;
  const geo = await trajectoryGeometry(store, summary.runId);
  const q = await quality(store, summary.runId, dataset);
  // the figure needs the method and steps (a k-step likelihood solve), so the 'solve' computes it
  // and the quality function reads it back
  const curve = await nfeCurve(async (method, steps) => ({ x: [await q(method, steps)] }), (x) => x[0]);
  return {
    coupling, interpolant, runId: summary.runId, trainSeconds, uniformLoss: summary.uniformLoss ?? null,
    kineticEnergy: geo.kineticEnergy as number, straightness: geo.straightness as number,
    reference: await q(REFERENCE.method, REFERENCE.steps), curve,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'flowlab-paths-'));
const store = openStore(join(dir, 'store'));
const out: Record<string, unknown> = { date: new Date().toISOString(), steps: STEPS, batch: BATCH, seed: SEED, n: N, datasets: {} };
try {
  for (const dataset of ['8gaussians', 'moons']) {
    const runs = [
      await measure(store, dataset, 'independent', 'trig'),
      await measure(store, dataset, 'independent', 'linear'),
      await measure(store, dataset, 'ot', 'linear'),
      await measure(store, dataset, 'ot', 'trig'),
      await measure(store, dataset, 'independent', 'learned'),
    ];
    const def = runs[0];
    let entry: Record<string, unknown>;
    if (dataset === '8gaussians') {
      const bar = def.reference + KL_TOLERANCE;
      entry = {
        figure: 'KL gap (nats)', qualify: bar, tolerance: KL_TOLERANCE,
        runs: runs.map((r) => ({
          ...r,
          nfeToTarget: r.reference <= bar ? nfeToReach(r.curve.map((p) => ({ ...p, value: Math.abs(p.value - r.reference) })), KL_TOLERANCE) : null,
        })),
      };
    } else {
      const data = loadRunData(loadRunWeights(store, def.runId).config);
      const floor = Math.max(0, energyDistance(data.train.data.subarray(0, N * 2), N, data.test.data.subarray(0, N * 2), N, 2));
      const bar = def.reference + floor;
      entry = {
        figure: 'distance to own rk4-50 samples (rk4-50: energy distance to data)', qualify: bar, tolerance: SAMPLE_TOLERANCE,
        runs: runs.map((r) => ({ ...r, nfeToTarget: r.reference <= bar ? nfeToReach(r.curve, SAMPLE_TOLERANCE) : null })),
      };
    }
    (out.datasets as Record<string, unknown>)[dataset] = entry;
    console.error(JSON.stringify((out.datasets as Record<string, unknown>)[dataset]));
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(join(import.meta.dirname, '../results/paths.json'), JSON.stringify(out, (_k, v) => (v === Infinity ? null : v), 2) + '\n');
