/**
 * Shorter paths, measured (SCIENCE.md section 5; issue: "shorter paths need fewer steps"): from
 * N(0, I) to 8gaussians and to moons, the default run (trig, independent pairs) against the
 * OT-coupled runs (train.coupling 'ot') with the linear interpolant (OT-CFM: a close pair moves in
 * a straight line) and with trig (whose arcs bulge out even for x1 = x0, so OT pairs alone do not
 * straighten them), the linear interpolant with independent pairs, and the learned interpolant
 * (trig plus a sine series fitted by the max-min in a path search, then a fresh velocity trained
 * on the path found: service/interpolantLearner.ts); same net, steps, batch, seed.
 * For each run: the kinetic energy of the learned flow along its own trajectories (rk4, K steps of size h from base draws:
 * KE = E sum_k |X_{k+1} - X_k|^2 / h, which is integral E|v|^2 dt up to O(h)) and its straightness
 * E|X_1 - X_0|^2 / KE (1: straight lines at constant speed). Along the trajectories, not at the
 * interpolant's x_t as `eval --geometry` measures: an OT-coupled flow has other marginals.
 *
 * Then the quality-versus-NFE curve on the dense grid of nfeCurve.ts (every NFE from 1 to 32:
 * euler, midpoint, rk4 where the stages divide it) and the acceptance's figure: the fewest NFE
 * from which a run's k-step sampler reaches the default run's rk4-50 KL gap within 0.02 nats
 * (at that NFE and every larger one of the method). The figure is the k-step sampler's own KL
 * gap: held-out points scored under the exact density of the samples that solver produces
 * (stepDensity.ts: each step inverted by Newton's method, its Jacobian by the chain rule through
 * the stages), which bounds it from above; not a k-step likelihood solve, whose integral of
 * div v is a biased estimate of the continuous flow's density and can read below the entropy.
 *   8gaussians: the KL gap = held-out NLL under the k-step sampler minus the true entropy.
 *   moons:      no closed-form density, so no entropy; but the entropy is one constant for all
 *               runs, so the held-out NLL differs from the KL gap by it alone, and "within 0.02
 *               nats of the default's rk4-50 KL gap" is the same test on the NLL. Beside it a
 *               sample-based figure for both targets: the energy distance of rk4-50 samples to
 *               held-out data (with the two-data-sample floor), and the fewest NFE from which the
 *               k-step samples lie within 0.05 (mean distance, data units) of the run's own
 *               rk4-50 samples from the same base points.
 * Writes bench/results/paths.json (the default 3000 steps) or paths-STEPS.json (another length of
 * training: the figures depend on how well the default run has learned its flow).
 *
 *   node --import tsx bench/flowlab/paths.ts [steps] [--threads N] [--datasets 8gaussians,moons]
 *   (default 3000 steps, 2 threads, both; a run for one dataset keeps the other's entry in the file
 *   when it was measured with the same steps and grid, so the two can run side by side)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src-main/api/config.js';
import { openStore, type Store } from '../../src-main/store/index.js';
import { runTraining } from '../../src-main/service/runTraining.js';
import { loadRunData } from '../../src-main/service/runData.js';
import { loadRunWeights } from '../../src-main/service/runModel.js';
import { resolveBackend } from '../../src-main/engine/onnx/runtime.js';
import { Rng } from '../../src-main/engine/random.js';
import { energyDistance } from '../../src-main/engine/metrics/index.js';
import { standardNormalLogDensity } from '../../src-main/engine/sample/likelihood.js';
import { netJacobian } from '../../src-main/engine/sample/netDivergence.js';
import { newFoldScreen, stepSamplerLogDensity } from '../../src-main/engine/sample/stepDensity.js';
import { NetSampler } from '../../src-main/engine/sample/netSampler.js';
import { nfeCurve, nfeGrid, nfeToReach, type NfePoint } from '../../src-main/engine/sample/nfeCurve.js';
import type { FixedMethod } from '../../src-main/engine/sample/rungeKutta.js';

const args = process.argv.slice(2);
/** `--name value` pairs; the rest are positional. */
function option(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const THREADS = Number(option('threads') ?? 2);
const STEPS = Number(positional[0] ?? 3000);
const DATASETS = (option('datasets') ?? '8gaussians,moons').split(',');
if (!Number.isInteger(THREADS) || THREADS < 1) throw new Error(`--threads must be a whole number of at least 1, got ${option('threads')}`);
if (!Number.isInteger(STEPS) || STEPS < 1) throw new Error(`steps must be a whole number of at least 1, got ${positional[0]}`);
for (const d of DATASETS) if (!['8gaussians', 'moons'].includes(d)) throw new Error(`--datasets must list 8gaussians and/or moons, got '${d}'`);
const BATCH = 256;
const SEED = 1;
/** Held-out points per figure. */
const N = 1000;
const KL_TOLERANCE = 0.02;
/** k-step samples this close (mean distance, data units; the data spans about 3 to 8) to the rk4-50 ones. */
const SAMPLE_TOLERANCE = 0.05;
const REFERENCE = { method: 'rk4' as const, steps: 50 };
const MAX_NFE = 32;
/** heun has midpoint's order and cost: one second-order method keeps the run short on a loaded host. */
const GRID = nfeGrid(MAX_NFE, ['euler', 'midpoint', 'rk4']);

interface RunFigures {
  coupling: string;
  interpolant: string;
  runId: string;
  trainSeconds: number;
  uniformLoss: number | null;
  kineticEnergy: number;
  straightness: number;
  /** The rk4-50 sampler's KL gap (8gaussians) or held-out NLL (moons), nats. */
  reference: number;
  curve: NfePoint[];
  /** Held-out points (summed over the curve) whose preimage under a k-step map was not found: that figure reads Infinity. */
  unresolved: number;
  /** Energy distance of rk4-50 samples to held-out data. */
  energyDistance: number;
  /** Mean distance of k-step samples to the rk4-50 ones from the same base points. */
  sampleCurve: NfePoint[];
}

/** The k-step sampler's KL gap where the entropy is known, else its held-out NLL (nats). */
async function likelihoodCurve(store: Store, runId: string): Promise<{ reference: number; curve: NfePoint[]; unresolved: number }> {
  const w = loadRunWeights(store, runId);
  const data = loadRunData(w.config);
  const d = w.net.dim;
  const test = data.test.data.subarray(0, N * d);
  const entropy = data.train.entropy?.value ?? 0;
  const jac = await netJacobian(w.net, w.params, { backend: await resolveBackend('cpu', 'solve'), threads: THREADS });
  let unresolved = 0;
  const foldScreen = newFoldScreen(test, N);
  try {
    const figure = async (method: FixedMethod, steps: number) => {
      const r = await stepSamplerLogDensity(jac.fn, test, N, d, { method, steps, baseLogDensity: standardNormalLogDensity, foldScreen });
      unresolved += r.unresolved;
      return r.nll - entropy;
    };
    const reference = await figure(REFERENCE.method, REFERENCE.steps);
    // the figure needs the method and steps (the k-step sampler's density), so the 'solve' computes it
    const curve = await nfeCurve(async (method, steps) => ({ x: [await figure(method, steps)] }), (x) => x[0], GRID);
    return { reference, curve, unresolved };
  } finally {
    await jac.release();
  }
}

/** Sample-based figures: rk4-50 energy distance to held-out data, and k-step samples' distance to the rk4-50 ones. */
async function sampleFigures(store: Store, runId: string): Promise<{ energyDistance: number; sampleCurve: NfePoint[] }> {
  const w = loadRunWeights(store, runId);
  const data = loadRunData(w.config);
  const d = w.net.dim;
  const test = data.test.data.subarray(0, N * d);
  const sampler = new NetSampler(w.net, w.params, await resolveBackend('cpu', 'solve'), THREADS);
  try {
    const x0 = new Rng(SEED, 7).fillNormal(new Float32Array(N * d)) as Float32Array;
    const solve = async (method: FixedMethod, steps: number) => sampler.solve(x0, N, { solver: method, steps, t0: 0, t1: 1 });
    const ref = (await solve(REFERENCE.method, REFERENCE.steps)).x;
    const sampleCurve = await nfeCurve(solve, (x) => {
      let sum = 0;
      for (let p = 0; p < N; p++) sum += Math.hypot(...Array.from({ length: d }, (_, j) => x[p * d + j] - ref[p * d + j]));
      return sum / N;
    }, GRID);
    return { energyDistance: energyDistance(ref, N, test, N, d), sampleCurve };
  } finally {
    await sampler.release();
  }
}

/** Kinetic energy and straightness along the flow's own trajectories (see the header). */
async function trajectoryGeometry(store: Store, runId: string): Promise<{ kineticEnergy: number; straightness: number }> {
  const K = 64;
  const w = loadRunWeights(store, runId);
  const d = w.net.dim;
  const sampler = new NetSampler(w.net, w.params, await resolveBackend('cpu', 'solve'), THREADS);
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
  config.threads = THREADS;
  const started = performance.now();
  const summary = await runTraining({ store, config });
  const trainSeconds = (performance.now() - started) / 1000;
  const geo = await trajectoryGeometry(store, summary.runId);
  const lik = await likelihoodCurve(store, summary.runId);
  const smp = await sampleFigures(store, summary.runId);
  console.error(`${config.name}: ${trainSeconds.toFixed(0)} s, rk4-50 ${lik.reference.toFixed(4)}, energy distance ${smp.energyDistance.toFixed(4)}`);
  return {
    coupling, interpolant, runId: summary.runId, trainSeconds, uniformLoss: summary.uniformLoss ?? null,
    kineticEnergy: geo.kineticEnergy, straightness: geo.straightness, ...lik, ...smp,
  };
}

const RESULTS = join(import.meta.dirname, `../results/${STEPS === 3000 ? 'paths' : `paths-${STEPS}`}.json`);
/** A run for some datasets keeps the others' entries from the file when they were measured the same way. */
function earlier(): Record<string, unknown> {
  if (!existsSync(RESULTS)) return {};
  const old = JSON.parse(readFileSync(RESULTS, 'utf8'));
  return old.maxNfe === MAX_NFE && old.steps === STEPS && old.figureOf === 'k-step sampler' ? old.datasets : {};
}

const dir = mkdtempSync(join(tmpdir(), 'flowlab-paths-'));
const store = openStore(join(dir, 'store'));
const datasets: Record<string, unknown> = {};
const out: Record<string, unknown> = {
  date: new Date().toISOString(), steps: STEPS, batch: BATCH, seed: SEED, n: N, threads: THREADS, loadAverage: loadavg()[0],
  maxNfe: MAX_NFE, methods: [...new Set(GRID.map((g) => g.method))], tolerance: KL_TOLERANCE, sampleTolerance: SAMPLE_TOLERANCE,
  // each curve point is the k-step sampler's own KL gap, by the exact density of its samples
  figureOf: 'k-step sampler', datasets,
};
try {
  for (const dataset of DATASETS) {
    const loadAverage = loadavg()[0];
    const date = new Date().toISOString();
    const runs = [
      await measure(store, dataset, 'independent', 'trig'),
      await measure(store, dataset, 'independent', 'linear'),
      await measure(store, dataset, 'ot', 'linear'),
      await measure(store, dataset, 'ot', 'trig'),
      await measure(store, dataset, 'independent', 'learned'),
    ];
    const def = runs[0];
    const bar = def.reference + KL_TOLERANCE;
    const data = loadRunData(loadRunWeights(store, def.runId).config);
    const floor = Math.max(0, energyDistance(data.train.data.subarray(0, N * 2), N, data.test.data.subarray(0, N * 2), N, 2));
    const sampleBar = def.energyDistance + floor;
    const entry = {
      figure: dataset === '8gaussians' ? 'KL gap (nats)' : 'held-out NLL (nats; the KL gap plus the unknown entropy)',
      date, loadAverage, threads: THREADS, bar, floor, sampleBar,
      runs: runs.map((r) => ({
        ...r,
        // the fewest NFE from which the k-step sampler reaches the default's rk4-50 figure within the tolerance
        nfeToTarget: nfeToReach(r.curve, bar),
        nfeByMethod: Object.fromEntries((out.methods as FixedMethod[]).map((m) => [m, nfeToReach(r.curve.filter((p) => p.method === m), bar)])),
        nfeSamples: r.sampleCurve.length && r.energyDistance <= sampleBar ? nfeToReach(r.sampleCurve, SAMPLE_TOLERANCE) : null,
      })),
    };
    datasets[dataset] = entry;
    console.error(JSON.stringify(entry.runs.map((r) => [r.interpolant, r.coupling, r.reference, r.nfeToTarget, r.energyDistance, r.nfeSamples])));
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
// merged at the end, so that two runs side by side (one dataset each) both land in the file
const merged = { ...earlier(), ...datasets };
out.datasets = Object.fromEntries(['8gaussians', 'moons'].filter((d) => d in merged).map((d) => [d, merged[d]]));
writeFileSync(RESULTS, JSON.stringify(out, (_k, v) => (v === Infinity ? null : v), 2) + '\n');
