/**
 * evaluateRun: the honest numbers of a trained run (SCIENCE.md sections 4, 5, 7):
 *   nll      mean negative log-likelihood of held-out data by the instantaneous change of
 *            variables (exact divergence for d <= 16, Hutchinson otherwise or on request), with
 *            its standard error, bits per dimension, and the KL gap to the true entropy;
 *   distances  energy distance, MMD, sliced W2 (and exact W2 for n <= 2000) between model
 *            samples and held-out data, each beside its floor (two independent data samples);
 *   geometry kinetic energy of the learned flow along its own rk4 paths, straightness,
 *            cycle-consistency error.
 * Results are stored with the run.
 */
import { UserError } from '../errors.js';
import { EVAL_POINTS } from '../api/schemas.js';
import { LIST_INFO } from '../api/metricInfo.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import { resolveBackend, type Backend } from '../engine/onnx/runtime.js';
import { Rng } from '../engine/random.js';
import {
  EXACT_W2_MAX_POINTS, energyDistance, exactW2, meanNorm, mmdWithFloor, pathEnergy, slicedW2, straightness,
} from '../engine/metrics/index.js';
import { standardNormalLogDensity, logLikelihood, reversedInTime } from '../engine/sample/likelihood.js';
import { EXACT_DIVERGENCE_MAX_DIM, netDivergence } from '../engine/sample/netDivergence.js';
import type { VelocityDivFn } from '../engine/sample/types.js';
import { NetSampler, type SolverName } from '../engine/sample/netSampler.js';
import type { Store } from '../store/index.js';
import { drawRows } from '../engine/data/index.js';
import { loadRunData, type RunData } from './runData.js';
import { checkEvaluationMemory } from './jobLimits.js';
import { loadRunWeights, type RunWeights } from './runModel.js';
import { evaluateImageRun } from './evaluateImages.js';
import { checkAtTime, likelihoodAtTimeFigures } from './evaluateAtTime.js';
import { stepsFigures } from './evaluateSteps.js';

export const DEFAULT_EVAL_N = 2000;
/** Held-out points for the steps a sampler needs (each of 11 samplers inverted step by step). */
export const DEFAULT_STEPS_EVAL_N = 1000;
const EVAL_STREAM = 0x4556414c; // "EVAL"
/** Fixed-step settings of the sampler used for distances and geometry. */
const SAMPLE_SOLVER = { solver: 'rk4' as const, steps: 50 };

export interface EvaluateOptions {
  store: Store;
  runId: string;
  /** The run's weights, when the caller has already loaded them (loadRunWeights(store, runId)); their config says how samples are drawn. */
  weights?: RunWeights;
  n?: number;
  nll?: boolean;
  distances?: boolean;
  geometry?: boolean;
  solver?: 'dopri5' | 'rk4';
  rtol?: number;
  atol?: number;
  steps?: number;
  /** dopri5 step budget (exceeding it is an error naming the time reached). */
  maxSteps?: number;
  /** Hutchinson probes for the divergence (absent: exact when d <= 16). */
  hutchinson?: number;
  backend?: Backend | 'auto';
  threads?: number;
  seed?: number;
  /**
   * Measure only the NLL of held-out points pushed to this time along the interpolant
   * (evaluateAtTime.ts): an upper bound on the entropy of rho_T.
   */
  at?: number;
  /**
   * Measure only the steps the run's samplers need (evaluateSteps.ts): euler and rk4 at 2 to 32
   * steps, each sampler's KL gap by its exact density and its energy distance.
   */
  nfe?: boolean;
  /** Messages worth telling the user (e.g. n reduced to the held-out size). */
  onNote?: (message: string) => void;
}

/**
 * Figures by key. A figure that is undefined for this run is null, and the string at
 * `${key}${WHY}` says why (see `splitEvaluation`).
 */
export type Evaluation = Record<string, number | string | boolean | null>;

/** The suffix of the key that holds why a figure is undefined. */
export const WHY = 'Why';

/** Numeric figures (null where undefined), for each undefined one why, and the list figures (LIST_INFO) parsed. */
export function splitEvaluation(e: Evaluation): { results: Record<string, number | null>; reasons: Record<string, string>; lists: Record<string, (number | null)[]> } {
  const results: Record<string, number | null> = {};
  const reasons: Record<string, string> = {};
  const lists: Record<string, (number | null)[]> = {};
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === 'number' || v === null) results[k] = v;
    else if (typeof v === 'string' && k.endsWith(WHY) && k.length > WHY.length) reasons[k.slice(0, -WHY.length)] = v;
    else if (typeof v === 'string' && LIST_KEYS.has(k)) {
      const list = parseList(v);
      if (list) lists[k] = list;
    }
  }
  return { results, reasons, lists };
}

const LIST_KEYS = new Set(LIST_INFO.map((m) => m.key));

function parseList(text: string): (number | null)[] | null {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x))) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Replaces each non-finite figure by null with a reason, so an estimate that blew up is reported
 * as undefined rather than passed on as Infinity or NaN (which JSON and the contract cannot carry).
 */
function nullNonFinite(e: Evaluation): Evaluation {
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      e[k] = null;
      if (typeof e[k + WHY] !== 'string') e[k + WHY] = `the estimate came out as ${v} (not a finite number), so it is left undefined`;
    }
  }
  return e;
}

export async function evaluateRun(o: EvaluateOptions): Promise<Evaluation> {
  const started = performance.now();
  const run = o.store.getRun(o.runId);
  if (run.status === 'failed') {
    throw new UserError(`run ${run.id} failed (${run.failureReason ?? 'no reason recorded'}); evaluate a run that trained, or resume this one after fixing the cause`);
  }
  const w = o.weights ?? loadRunWeights(o.store, run.id);
  if (o.at !== undefined) checkAtTime(w, o.at);
  if (o.at !== undefined && o.nfe) throw new UserError('measure the NLL at a time T and the steps a sampler needs one at a time (pass at or nfe, not both)');
  if (o.nfe && w.shape.length > 1) throw new UserError('the steps a sampler needs are measured for point data (each step\'s Jacobian is exact); image runs are measured by `sample` and `eval`');
  const all = !o.nll && !o.distances && !o.geometry;
  const want = { nll: all || !!o.nll, distances: all || !!o.distances, geometry: all || !!o.geometry };
  if (w.shape.length > 1) return evaluateImageRun(o, w, want);
  if (o.hutchinson !== undefined && !(Number.isInteger(o.hutchinson) && o.hutchinson >= 1)) {
    throw new UserError(`hutchinson must be a whole number of probes >= 1, got ${o.hutchinson}; omit it for the exact divergence`, 'hutchinson');
  }
  const data = loadRunData(w.config);
  if (o.n !== undefined && !(Number.isInteger(o.n) && o.n >= EVAL_POINTS.min && o.n <= EVAL_POINTS.max)) {
    throw new UserError(`n must be a whole number from ${EVAL_POINTS.min} to ${EVAL_POINTS.max}, got ${o.n}`, 'n');
  }
  let n = o.n ?? Math.min(o.nfe ? DEFAULT_STEPS_EVAL_N : DEFAULT_EVAL_N, data.test.n);
  if (n > data.test.n) {
    o.onNote?.(`n = ${n} is larger than the ${data.test.n} held-out points; using all ${data.test.n}`);
    n = data.test.n;
  }
  checkEvaluationMemory(n, data.d);
  const backend = await resolveBackend(o.backend ?? w.config.backend, 'solve');
  const threads = o.threads ?? w.config.threads;
  const seed = o.seed ?? (w.config.train.seed ^ EVAL_STREAM) >>> 0;
  const d = w.net.dim;
  const test = data.test.data.subarray(0, n * d);
  const out: Evaluation = { n, d };

  if (o.at !== undefined) {
    Object.assign(out, await likelihoodAtTimeFigures(w, test, n, { ...o, at: o.at }, backend, threads, seed));
    out.seconds = (performance.now() - started) / 1000;
    nullNonFinite(out);
    o.store.saveEvaluation(run.id, { n, at: o.at, solver: o.solver ?? 'dopri5', rtol: o.rtol ?? null, hutchinson: o.hutchinson ?? null, checkpointStep: w.step, nll: true }, out);
    return out;
  }
  if (o.nfe) {
    Object.assign(out, await stepsFigures(w, data, test, n, baseDraws(w, data, n, seed), backend, threads));
    out.seconds = (performance.now() - started) / 1000;
    nullNonFinite(out);
    o.store.saveEvaluation(run.id, { n, nfe: true, checkpointStep: w.step }, out);
    return out;
  }
  if (want.nll) Object.assign(out, await likelihoodFigures(w, data, test, n, o, backend, threads, seed));

  if (want.distances || want.geometry) {
    const sampler = new NetSampler(w.net, w.params, backend, threads);
    const tMax = getInterpolant(w.config.interpolant).tMax;
    try {
      const x0 = baseDraws(w, data, n, seed);
      const gen = await sampler.solve(x0, n, { ...SAMPLE_SOLVER, t0: 0, t1: tMax, snapshots: want.geometry });
      if (out.nfe === undefined) out.nfe = gen.nfe;
      if (want.distances) Object.assign(out, distanceFigures(gen.x, test, data, n, d, seed));
      if (want.geometry) {
        const ke = pathEnergy([x0, ...gen.trajectory!], n, d, tMax);
        out.kineticEnergy = ke;
        out.straightness = straightness(x0, gen.x, n, d, ke);
        const enc = await sampler.solve(test, n, { ...SAMPLE_SOLVER, t0: tMax, t1: 0 });
        const dec = await sampler.solve(enc.x, n, { ...SAMPLE_SOLVER, t0: 0, t1: tMax });
        const cyc = meanNorm(dec.x, test, n, d);
        out.cycleError = cyc.mean;
        out.cycleErrorMax = cyc.max;
      }
    } finally {
      await sampler.release();
    }
  }
  out.seconds = (performance.now() - started) / 1000;
  nullNonFinite(out);
  o.store.saveEvaluation(run.id, { n, solver: o.solver ?? 'dopri5', rtol: o.rtol ?? null, hutchinson: o.hutchinson ?? null, checkpointStep: w.step, ...want }, out);
  return out;
}

/**
 * NLL in whichever direction has a known reference density: held-out data under the model when
 * the base is the standard Gaussian (integrating data -> base); or, for data-to-data runs whose
 * target has a closed-form density, held-out base points under the model's pull-back
 * (integrating base -> target: log rho0(x0) = log rho1(X_1) + integral_0^1 div v dt).
 */
async function likelihoodFigures(w: RunWeights, data: RunData, test: Float32Array, n: number, o: EvaluateOptions, backend: Backend, threads: number, seed: number): Promise<Evaluation> {
  const d = w.net.dim;
  const gaussianBase = w.config.base === 'gaussian';
  const targetDensity = data.train.logDensity;
  if (!gaussianBase && !(targetDensity && data.baseTest)) {
    o.onNote?.(`neither end of run ${w.run.id} has a known density (the base is a dataset and '${w.config.dataset}' has no closed form), so no likelihood can be computed; skipping nll`);
    return {};
  }
  let points = test;
  let count = n;
  if (!gaussianBase) {
    count = Math.min(n, data.baseTest!.n);
    points = data.baseTest!.data.subarray(0, count * d);
  }
  const probes = o.hutchinson ?? (d <= EXACT_DIVERGENCE_MAX_DIM ? 0 : 16);
  const div = await netDivergence(w.net, w.params, { probes, seed, backend, threads });
  try {
    const solver = o.solver ?? 'dopri5';
    const tMax = getInterpolant(w.config.interpolant).tMax;
    const r = await logLikelihood(gaussianBase ? div.fn : reversedInTime(div.fn, tMax), points, count, d, {
      solver: solver as SolverName,
      at: tMax,
      rtol: o.rtol ?? 1e-5,
      atol: o.atol ?? 1e-5,
      steps: o.steps ?? 100,
      maxSteps: o.maxSteps,
      baseLogDensity: gaussianBase ? standardNormalLogDensity : (x, m) => targetDensity!(x, m),
    });
    const outside = r.logLikelihood.reduce((c, l) => c + (l === -Infinity ? 1 : 0), 0);
    if (outside > 0) return outsideSupport(w, data, outside, count, gaussianBase, probes, r.nfe);
    const f: Evaluation = {
      nll: r.nll,
      nllStdErr: r.nllStdErr,
      bitsPerDim: r.bitsPerDim,
      nfe: r.nfe,
      nllOf: gaussianBase ? 'data' : 'base',
      divergence: probes ? `hutchinson-${probes}` : 'exact',
    };
    const h = gaussianBase ? data.train.entropy : data.base!.entropy;
    if (h) {
      f.entropy = h.value;
      if (h.stdErr !== undefined) f.entropyStdErr = h.stdErr;
      f.klGap = r.nll - h.value;
      f.klGapStdErr = Math.hypot(r.nllStdErr, h.stdErr ?? 0);
    }
    return f;
  } finally {
    await div.release();
  }
}

/**
 * A bounded reference density (a checkerboard's squares) is zero outside its support, so a point
 * the flow carries there has log-density -infinity: the NLL, bits/dim and KL gap are undefined,
 * not large. Reported as null with the count and the reason.
 */
function outsideSupport(w: RunWeights, data: RunData, outside: number, count: number, gaussianBase: boolean, probes: number, nfe: number): Evaluation {
  const where = gaussianBase
    ? `the base density is zero there`
    : `the target '${w.config.dataset}' has zero density outside its support`;
  const why = `${outside} of ${count} points (${((100 * outside) / count).toPrecision(2)}%) landed outside the support (${where}); `
    + `their log-density is -infinity, so this figure is undefined. Train longer or with more steps to bring the flow inside the support`;
  const f: Evaluation = { outsideSupport: outside, nfe, nllOf: gaussianBase ? 'data' : 'base', divergence: probes ? `hutchinson-${probes}` : 'exact' };
  for (const k of ['nll', 'nllStdErr', 'bitsPerDim']) {
    f[k] = null;
    f[k + WHY] = why;
  }
  const h = gaussianBase ? data.train.entropy : data.base?.entropy;
  if (h) {
    f.entropy = h.value;
    if (h.stdErr !== undefined) f.entropyStdErr = h.stdErr;
    f.klGap = null;
    f.klGapStdErr = null;
    f['klGap' + WHY] = why;
    f['klGapStdErr' + WHY] = why;
  }
  return f;
}

/** n base draws: standard normals, or rows of the base dataset. */
function baseDraws(w: RunWeights, data: RunData, n: number, seed: number): Float32Array {
  const d = w.net.dim;
  const rng = new Rng(seed, 1);
  if (!data.base) return rng.fillNormal(new Float32Array(n * d)) as Float32Array;
  const src = data.baseTest && data.baseTest.n >= n ? data.baseTest : data.base;
  return drawRows(src.data, src.n, d, n, rng);
}

function distanceFigures(model: Float32Array, test: Float32Array, data: RunData, n: number, d: number, seed: number): Evaluation {
  // The floor: a second, independent data sample of the same size (training rows, which the
  // model has seen but the distance between two data samples does not care).
  const other = drawRows(data.train.data, data.train.n, d, n, new Rng(seed, 2));
  const m = mmdWithFloor(model, test, other, n, d, { seed });
  const sw = (a: Float32Array) => slicedW2(a, n, test, n, d, { seed });
  const f: Evaluation = {
    energyDistance: energyDistance(model, n, test, n, d),
    energyDistanceFloor: energyDistance(other, n, test, n, d),
    mmd: m.mmd2,
    mmdFloor: m.floor,
    slicedW2: sw(model),
    slicedW2Floor: sw(other),
  };
  if (n <= EXACT_W2_MAX_POINTS) {
    f.w2 = exactW2(model, n, test, n, d).w2;
    f.w2Floor = exactW2(other, n, test, n, d).w2;
  }
  return f;
}
