/**
 * Shorter paths, measured (SCIENCE.md section 5; issue: "shorter paths need fewer steps"): from
 * N(0, I) to 8gaussians and to moons, the default run (trig, independent pairs) against the
 * OT-coupled run (train.coupling 'ot'), same net, steps, batch and seed. For each run: the kinetic
 * energy of the learned flow along its own trajectories (rk4, K steps of size h from base draws:
 * KE = E sum_k |X_{k+1} - X_k|^2 / h, which is integral E|v|^2 dt up to O(h)) and its straightness
 * E|X_1 - X_0|^2 / KE (1: straight lines at constant speed). Along the trajectories, not at the
 * interpolant's x_t as `eval --geometry` measures: an OT-coupled flow has other marginals. Then the
 * quality-versus-NFE curve at euler and
 * rk4 with 2..32 steps:
 *   8gaussians: the KL gap (held-out NLL by the k-step likelihood solve minus the true entropy);
 *               target: the default run's rk4-50 KL gap + 0.02 nats;
 *   moons (no closed-form density): the energy distance of k-step samples to held-out data;
 *               target: the default run's rk4-50 energy distance + its floor (two data samples).
 * Reports the NFE each run needs to reach the target. Writes bench/results/paths.json.
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
const REFERENCE = { method: 'rk4' as const, steps: 50 };

interface RunFigures {
  coupling: string;
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
  return async (method, steps) => energyDistance((await sampler.solve(x0, N, { solver: method, steps, t0: 0, t1: 1 })).x, N, test, N, d);
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

async function measure(store: Store, dataset: string, coupling: 'independent' | 'ot'): Promise<RunFigures> {
  const config = defaultConfig(dataset, SEED);
  config.name = `${dataset} ${coupling}`;
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
    coupling, runId: summary.runId, trainSeconds, uniformLoss: summary.uniformLoss ?? null,
    kineticEnergy: geo.kineticEnergy as number, straightness: geo.straightness as number,
    reference: await q(REFERENCE.method, REFERENCE.steps), curve,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'flowlab-paths-'));
const store = openStore(join(dir, 'store'));
const out: Record<string, unknown> = { date: new Date().toISOString(), steps: STEPS, batch: BATCH, seed: SEED, n: N, datasets: {} };
try {
  for (const dataset of ['8gaussians', 'moons']) {
    const runs = [await measure(store, dataset, 'independent'), await measure(store, dataset, 'ot')];
    let target: number;
    let figure: string;
    if (dataset === '8gaussians') {
      figure = 'KL gap (nats)';
      target = runs[0].reference + KL_TOLERANCE;
    } else {
      figure = 'energy distance';
      const data = loadRunData(loadRunWeights(store, runs[0].runId).config);
      const other = data.train.data.subarray(0, N * 2);
      const floor = energyDistance(other, N, data.test.data.subarray(0, N * 2), N, 2);
      target = runs[0].reference + Math.max(floor, 0);
    }
    (out.datasets as Record<string, unknown>)[dataset] = {
      figure, target,
      runs: runs.map((r) => ({ ...r, nfeToTarget: nfeToReach(r.curve, target) })),
    };
    console.error(JSON.stringify((out.datasets as Record<string, unknown>)[dataset]));
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(join(import.meta.dirname, '../results/paths.json'), JSON.stringify(out, (_k, v) => (v === Infinity ? null : v), 2) + '\n');
