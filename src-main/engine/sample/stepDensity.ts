/**
 * The exact density of a k-step sampler (SCIENCE.md section 5, "shorter paths need fewer steps").
 * A fixed-step solve from base draws is a map T = S_{k-1} o ... o S_0 of its steps
 * S_i(x) = x + h sum_s b_s k_s (rungeKutta.ts); its samples have the density
 *
 *   p_k(y) = sum over x0 in T^{-1}(y) of rho0(x0) / |det DT(x0)|,
 *   log of one term = log rho0(x0) - sum_i log |det DS_i(x_i)|,   x_{i+1} = S_i(x_i), x_k = y.
 *
 * Each step is inverted by Newton's method (with step halving) from x_{i+1} backward (started at
 * x_{i+1} - (x_{i+2} - x_{i+1}), the last step taken again: one iteration where the field is smooth), and its
 * Jacobian DS_i = I + h sum_s b_s Dk_s follows the stages by the chain rule,
 * Dk_s = Dv(y_s) (I + h sum_j a_sj Dk_j), from the field's Jacobian Dv (netJacobian for a net:
 * d reverse passes per point, so this is for small d, the 2-D toys). A coarse step can fold the
 * plane (its Jacobian determinant changes sign), so that a point has several preimages: in 2-D
 * they are searched on a grid and summed (stepSamplerLogDensity; a step too fine to fold, by a
 * bound from the field's Jacobian on a coarse grid, skips its own grid: FoldScreen). Each preimage found adds one
 * term of the sum and a missed one only lowers it, so -log p_k(y) is bounded above by the figure
 * here, and its held-out mean bounds the k-step sampler's own KL gap from above (up to sampling
 * noise): a measure of the samples a user gets at that step count, where a coarse likelihood
 * solve (an integral of div v by the same k steps) is a biased estimate of the continuous flow's
 * density and can read either way. A point with no preimage found gets -Infinity: the sampler
 * leaves a hole there (or the preimage lies outside the searched box, where rho0 is negligible).
 *
 *   const r = await stepSamplerLogDensity(jac, heldOut, n, d, { method: 'euler', steps: 4, baseLogDensity });
 *   r.nll  // mean -log p_4(y) over the points, nats
 */
import { UserError } from '../../errors.js';
import { meanStdErr } from '../metrics/meanStdErr.js';
import { FIXED_METHODS, isFixedMethod, RK_METHODS, type ButcherTableau, type FixedMethod } from './rungeKutta.js';
import type { VelocityJacFn } from './types.js';
import { batchedMatMul, identities, logAbsDeterminant, luSolve } from './smallMatrices.js';
import { checkBatch } from './velocityCall.js';

export interface StepDensityOptions {
  method: FixedMethod;
  steps: number;
  /** The sampler's interval (default 0 to 1; VP samples end at its tMax). */
  t0?: number;
  t1?: number;
  /** log rho0 per point of x0 [n, d]. */
  baseLogDensity: (x0: Float64Array, n: number, d: number) => Float64Array;
  /** Newton stops at max |S(x) - y| <= tolerance (data units; default 1e-5: float32 nets reach about 1e-6). */
  tolerance?: number;
  /** Newton iterations per step (default 50). */
  maxIterations?: number;
  /** Shared by the solves of one measurement so each time's field is screened once (d = 2; default: one per call). */
  foldScreen?: FoldScreen;
}

export interface StepDensityResult {
  /** log p_k(y) per point: the sum over the preimages found (-Infinity where none was). */
  logDensity: Float64Array;
  /** Mean -log p_k over the points (Infinity if any point has no preimage) and its standard error. */
  nll: number;
  nllStdErr: number;
  /** The base points found, T(x0) = y (the likeliest where a point has several; NaN where none). */
  x0: Float64Array;
  /** Points with no preimage found (each a hole: their figure is infinite). */
  unresolved: number;
  /** Batched step evaluations (each one field call with its Jacobian per stage) spent, and the fold screen's field calls. */
  calls: number;
  /** Steps whose map folds the plane (a Jacobian determinant <= 0 on the search grid; d = 2 only). */
  folds: number;
  /** Preimage chains summed at the end (n when no step folds). */
  chains: number;
}

/** One step and its Jacobian for every point: y = S(x) [n, d], J = DS(x) [n, d, d]. */
export async function stepWithJacobian(
  f: VelocityJacFn,
  tableau: ButcherTableau,
  t: number,
  h: number,
  x: Float64Array,
  n: number,
  d: number,
): Promise<{ y: Float64Array; jac: Float64Array }> {
  const dd = d * d;
  const ks: Float64Array[] = [];
  const dks: Float64Array[] = [];
  for (let s = 0; s < tableau.c.length; s++) {
    const a = s === 0 ? [] : tableau.a[s - 1];
    // stage point y_s = x + h sum_j a_sj k_j and its Jacobian D y_s = I + h sum_j a_sj Dk_j
    const ys = Float64Array.from(x);
    const dys = identities(n, d);
    a.forEach((w, j) => {
      if (w === 0) return;
      for (let i = 0; i < n * d; i++) ys[i] += h * w * ks[j][i];
      for (let i = 0; i < n * dd; i++) dys[i] += h * w * dks[j][i];
    });
    const { v, jac } = await f(t + tableau.c[s] * h, ys, n, d);
    if (v.length !== n * d || jac.length !== n * dd) {
      throw new Error(`velocity+Jacobian at t=${t} returned ${v.length} and ${jac.length} values; expected ${n * d} and ${n * dd}`);
    }
    ks.push(Float64Array.from(v));
    dks.push(batchedMatMul(jac, dys, n, d));
  }
  const y = Float64Array.from(x);
  const jacOut = identities(n, d);
  tableau.b.forEach((w, s) => {
    if (w === 0) return;
    for (let i = 0; i < n * d; i++) y[i] += h * w * ks[s][i];
    for (let i = 0; i < n * dd; i++) jacOut[i] += h * w * dks[s][i];
  });
  return { y, jac: jacOut };
}

/** Halvings of a Newton step tried before a point counts as stalled. */
const MAX_HALVINGS = 12;

/**
 * Inverts one step: x with S(x) = y for every point, by Newton's method from x = y (or `start`), each point's
 * step halved (up to MAX_HALVINGS times) until it lowers that point's residual max_j |S(x) - y|_j.
 * A point stops when its residual is at most the tolerance, or stalls (no halving lowers it).
 * Returns x, log |det DS(x)| and which points converged.
 */
export async function invertStep(
  f: VelocityJacFn,
  tableau: ButcherTableau,
  t: number,
  h: number,
  y: Float64Array,
  n: number,
  d: number,
  o: { tolerance: number; maxIterations: number; start?: Float64Array },
): Promise<{ x: Float64Array; logAbsDet: Float64Array; converged: Uint8Array; calls: number }> {
  const x = Float64Array.from(o.start ?? y);
  /** max_j |S(x) - y|_j of point p, its image at row q of sy (q = p unless sy holds a subset). */
  const residualOf = (sy: Float64Array, p: number, q = p) => {
    let r = 0;
    for (let j = 0; j < d; j++) r = Math.max(r, Math.abs(sy[q * d + j] - y[p * d + j]));
    return r;
  };
  const cur = await stepWithJacobian(f, tableau, t, h, x, n, d);
  let calls = 1;
  const residual = new Float64Array(n).map((_, p) => residualOf(cur.y, p));
  // 1: still iterating; 0: converged or stalled
  const active = Uint8Array.from(residual, (r) => (r > o.tolerance ? 1 : 0));
  for (let iter = 0; iter < o.maxIterations && active.includes(1); iter++) {
    // Newton direction for the active points: delta = DS^{-1} (S(x) - y)
    const delta = new Float64Array(n * d);
    for (let p = 0; p < n; p++) {
      if (!active[p]) continue;
      const rhs = new Float64Array(d).map((_, j) => cur.y[p * d + j] - y[p * d + j]);
      const sol = luSolve(cur.jac.subarray(p * d * d, (p + 1) * d * d), d, rhs);
      if (sol) delta.set(sol, p * d);
      else active[p] = 0; // a singular step Jacobian: no Newton direction
    }
    const trying = Uint8Array.from(active);
    let scale = 1;
    for (let halving = 0; halving <= MAX_HALVINGS && trying.includes(1); halving++, scale /= 2) {
      // only the points still trying are evaluated
      const rows = Int32Array.from({ length: n }, (_, p) => p).filter((p) => trying[p] === 1);
      const trial = new Float64Array(rows.length * d);
      rows.forEach((p, q) => {
        for (let j = 0; j < d; j++) trial[q * d + j] = x[p * d + j] - scale * delta[p * d + j];
      });
      const next = await stepWithJacobian(f, tableau, t, h, trial, rows.length, d);
      calls++;
      rows.forEach((p, q) => {
        const r = residualOf(next.y, p, q);
        if (r < residual[p]) {
          x.set(trial.subarray(q * d, (q + 1) * d), p * d);
          cur.y.set(next.y.subarray(q * d, (q + 1) * d), p * d);
          cur.jac.set(next.jac.subarray(q * d * d, (q + 1) * d * d), p * d * d);
          residual[p] = r;
          trying[p] = 0;
          if (r <= o.tolerance) active[p] = 0;
        }
      });
    }
    for (let p = 0; p < n; p++) if (trying[p]) active[p] = 0; // stalled
  }
  const converged = Uint8Array.from(residual, (r) => (r <= o.tolerance ? 1 : 0));
  const logAbsDet = new Float64Array(n).map((_, p) => logAbsDeterminant(cur.jac.subarray(p * d * d, (p + 1) * d * d), d));
  return { x, logAbsDet, converged, calls };
}

/** The dimension in which every step's preimages are also searched on a grid (folds handled). */
export const PREIMAGE_SEARCH_DIM = 2;
/**
 * Grid points per axis: a coarse grid tells whether a step folds (every step), a fine one gives
 * the Newton starts (only for a step that folds or a point Newton did not resolve); and the
 * starts taken per branch.
 */
const FOLD_GRID = 49;
const SEED_GRID = 121;
const SEEDS = 10;
/** Roots closer than this (max norm, data units) are one preimage. */
const SAME_ROOT = 1e-3;

/**
 * Preimage chains: branch b belongs to point owner[b], is at x[b] (d values), was at next[b] one
 * step later (NaN before the first inversion) and has summed log |det DS| over its steps so far.
 */
interface Branches {
  owner: Int32Array;
  x: Float64Array;
  next: Float64Array;
  logDet: Float64Array;
}

/**
 * Newton's starts for the step before x: x - (next - x), the branch's last step taken again (its
 * velocity changes by O(h) from one step to the next, so the start is off by O(h^2) where x itself
 * is off by O(h)); x itself on the first inversion.
 */
function predictedStarts(br: Branches): Float64Array {
  return br.x.map((v, i) => (Number.isNaN(br.next[i]) ? v : 2 * v - br.next[i]));
}

/**
 * log p_k(y) of the k-step sampler at the points y [n, d] (the header's formula). In d = 2 each
 * step's map is also evaluated on a coarse grid over a box around its targets and the base's bulk:
 * where its Jacobian determinant is <= 0 somewhere (the step folds the plane, so a point can have
 * several preimages), every target is also searched from the local minima of its distance to the
 * step's image on a finer grid, and each distinct root found starts a chain of its own; a point's
 * density is the sum over its chains. A fold finer than the coarse grid, a root outside the box,
 * or d > 2 can miss a preimage, which only lowers the density found.
 */
export async function stepSamplerLogDensity(
  f: VelocityJacFn,
  y: ArrayLike<number>,
  n: number,
  d: number,
  options: StepDensityOptions,
): Promise<StepDensityResult> {
  checkBatch('stepSamplerLogDensity y', y, n, d);
  const { method, steps, t0 = 0, t1 = 1, tolerance = 1e-5, maxIterations = 50 } = options;
  if (!isFixedMethod(method)) throw new UserError(`unknown fixed-step method '${method}'; use one of ${FIXED_METHODS.join(', ')}`);
  if (!Number.isInteger(steps) || steps < 1) throw new UserError(`steps must be a positive integer; got ${steps}`);
  const tableau = RK_METHODS[method];
  const h = (t1 - t0) / steps;
  let br: Branches = { owner: Int32Array.from({ length: n }, (_, p) => p), x: Float64Array.from(y), next: new Float64Array(n * d).fill(Number.NaN), logDet: new Float64Array(n) };
  let calls = 0;
  let folds = 0;
  const o = { tolerance, maxIterations };
  const screen = d === PREIMAGE_SEARCH_DIM ? options.foldScreen ?? newFoldScreen(y, n) : null;
  for (let i = steps - 1; i >= 0 && br.owner.length > 0; i--) {
    const t = t0 + i * h;
    const m = br.owner.length;
    const r = await invertStep(f, tableau, t, h, br.x, m, d, { ...o, start: predictedStarts(br) });
    calls += r.calls;
    const roots: { b: number; x: Float64Array; logAbsDet: number }[] = [];
    for (let b = 0; b < m; b++) if (r.converged[b]) roots.push({ b, x: r.x.slice(b * d, (b + 1) * d), logAbsDet: r.logAbsDet[b] });
    if (d === PREIMAGE_SEARCH_DIM && m > 0) {
      const screened = await cannotFold(f, screen!, tableau, t, h, br.x, m);
      calls += screened.calls;
      let stepFolds = false;
      if (!screened.cannot) {
        stepFolds = (await gridOfStep(f, tableau, t, h, br.x, m, FOLD_GRID)).folds;
        calls += 1;
      }
      if (stepFolds) folds++;
      // search every target when the step folds, else only the ones Newton did not resolve
      const search = Int32Array.from({ length: m }, (_, b) => b).filter((b) => stepFolds || !r.converged[b]);
      if (search.length) {
        const grid = await gridOfStep(f, tableau, t, h, br.x, m, SEED_GRID);
        calls += 1;
        const starts = new Float64Array(search.length * SEEDS * d);
        const targets = new Float64Array(search.length * SEEDS * d);
        search.forEach((b, q) => {
          const seeds = bestGridPoints(grid, br.x.subarray(b * d, (b + 1) * d));
          for (let s = 0; s < SEEDS; s++) {
            starts.set(seeds[Math.min(s, seeds.length - 1)], (q * SEEDS + s) * d);
            targets.set(br.x.subarray(b * d, (b + 1) * d), (q * SEEDS + s) * d);
          }
        });
        const more = await invertStep(f, tableau, t, h, targets, search.length * SEEDS, d, { ...o, start: starts });
        calls += more.calls;
        search.forEach((b, q) => {
          for (let s = 0; s < SEEDS; s++) {
            const k = q * SEEDS + s;
            if (more.converged[k]) roots.push({ b, x: more.x.slice(k * d, (k + 1) * d), logAbsDet: more.logAbsDet[k] });
          }
        });
      }
    }
    br = distinctChains(br, roots, d);
  }
  const base = br.owner.length > 0 ? options.baseLogDensity(br.x, br.owner.length, d) : new Float64Array(0);
  const logDensity = new Float64Array(n).fill(-Infinity);
  const x0 = new Float64Array(n * d).fill(Number.NaN);
  const best = new Float64Array(n).fill(-Infinity);
  for (let b = 0; b < br.owner.length; b++) {
    const p = br.owner[b];
    const l = base[b] - br.logDet[b];
    logDensity[p] = logAddExp(logDensity[p], l);
    if (l > best[p]) {
      best[p] = l;
      x0.set(br.x.subarray(b * d, (b + 1) * d), p * d);
    }
  }
  const unresolved = logDensity.reduce((a, l) => a + (l === -Infinity ? 1 : 0), 0);
  const { mean, stdErr } = unresolved > 0 ? { mean: Infinity, stdErr: Infinity } : meanStdErr(logDensity.map((l) => -l));
  return { logDensity, nll: mean, nllStdErr: stdErr, x0, unresolved, calls, folds, chains: br.owner.length };
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** The chains after a step: each distinct root of a branch continues it (so a branch can split, or end when none was found). */
function distinctChains(br: Branches, roots: { b: number; x: Float64Array; logAbsDet: number }[], d: number): Branches {
  const kept: typeof roots = [];
  const byBranch = new Map<number, typeof roots>();
  for (const r of roots) {
    const list = byBranch.get(r.b) ?? [];
    if (list.some((q) => q.x.every((v, j) => Math.abs(v - r.x[j]) <= SAME_ROOT))) continue;
    list.push(r);
    byBranch.set(r.b, list);
    kept.push(r);
  }
  kept.sort((a, b) => a.b - b.b);
  return {
    owner: Int32Array.from(kept, (r) => br.owner[r.b]),
    x: Float64Array.from(kept.flatMap((r) => Array.from(r.x))),
    next: Float64Array.from(kept.flatMap((r) => Array.from(br.x.subarray(r.b * d, (r.b + 1) * d)))),
    logDet: Float64Array.from(kept, (r) => br.logDet[r.b] + r.logAbsDet),
  };
}

interface StepGrid {
  /** Grid points [size^2, 2], their images under the step, and whether the Jacobian determinant is <= 0 anywhere. */
  size: number;
  at: Float64Array;
  image: Float64Array;
  count: number;
  folds: boolean;
}

/** The box around the targets [m, 2] and [-5, 5]^2 (the base's bulk), before its padding by GRID_PAD. */
function searchBox(targets: ArrayLike<number>, m: number): { lo: Float64Array; hi: Float64Array } {
  const d = 2;
  const lo = new Float64Array(d).fill(-5);
  const hi = new Float64Array(d).fill(5);
  for (let b = 0; b < m; b++) for (let j = 0; j < d; j++) {
    lo[j] = Math.min(lo[j], targets[b * d + j]);
    hi[j] = Math.max(hi[j], targets[b * d + j]);
  }
  return { lo, hi };
}

const GRID_PAD = 2;

/** A size x size grid over the box padded by GRID_PAD: [size^2, 2]. */
function gridPoints(box: { lo: Float64Array; hi: Float64Array }, size: number): Float64Array {
  const d = 2;
  const at = new Float64Array(size ** d * d);
  for (let q = 0; q < size ** d; q++) {
    let rest = q;
    for (let j = 0; j < d; j++) {
      const k = rest % size;
      rest = Math.floor(rest / size);
      at[q * d + j] = box.lo[j] - GRID_PAD + ((box.hi[j] - box.lo[j] + 2 * GRID_PAD) * k) / (size - 1);
    }
  }
  return at;
}

/** The step evaluated on a size x size grid over the search box of the targets (d = 2). */
async function gridOfStep(f: VelocityJacFn, tableau: ButcherTableau, t: number, h: number, targets: Float64Array, m: number, size: number): Promise<StepGrid> {
  const d = 2;
  const count = size ** d;
  const at = gridPoints(searchBox(targets, m), size);
  const s = await stepWithJacobian(f, tableau, t, h, at, count, d);
  let folds = false;
  for (let q = 0; q < count && !folds; q++) {
    const o = q * 4;
    if (s.jac[o] * s.jac[o + 3] - s.jac[o + 1] * s.jac[o + 2] <= 0) folds = true;
  }
  return { size, at, image: s.y, count, folds };
}

/**
 * A screen that spares fine steps their fold grid (d = 2): the largest Frobenius norm L(t) of the
 * field's Jacobian on the coarse grid over a fixed box (the held-out points' search box), one field
 * call per time, kept for every solve that shares the screen. The Frobenius norm bounds the
 * spectral norm |.|, so each stage's Jacobian obeys |Dk_s| <= K_s = L(t + c_s h) (1 + h sum_j
 * |a_sj| K_j), and the step's DS = I + h A has |h A| <= h sum_s |b_s| K_s; below 1 every eigenvalue
 * of DS lies within 1 of 1, det DS > 0, and the step cannot fold. Like the direct check, it reads
 * the field at grid points only.
 */
export interface FoldScreen {
  box: { lo: Float64Array; hi: Float64Array };
  at: Float64Array;
  /** L(t) by time, keyed to 1e-9. */
  norms: Map<number, number>;
}

export function newFoldScreen(y: ArrayLike<number>, n: number): FoldScreen {
  const box = searchBox(y, n);
  return { box, at: gridPoints(box, FOLD_GRID), norms: new Map() };
}

async function cannotFold(
  f: VelocityJacFn,
  screen: FoldScreen,
  tableau: ButcherTableau,
  t: number,
  h: number,
  targets: Float64Array,
  m: number,
): Promise<{ cannot: boolean; calls: number }> {
  const own = searchBox(targets, m);
  if (own.lo.some((v, j) => v < screen.box.lo[j]) || own.hi.some((v, j) => v > screen.box.hi[j])) return { cannot: false, calls: 0 };
  let calls = 0;
  const K: number[] = [];
  for (let s = 0; s < tableau.c.length; s++) {
    const ts = t + tableau.c[s] * h;
    const key = Math.round(ts * 1e9);
    let L = screen.norms.get(key);
    if (L === undefined) {
      const count = screen.at.length / 2;
      const { jac } = await f(ts, screen.at, count, 2);
      calls++;
      L = 0;
      for (let q = 0; q < count; q++) L = Math.max(L, Math.hypot(jac[4 * q], jac[4 * q + 1], jac[4 * q + 2], jac[4 * q + 3]));
      screen.norms.set(key, L);
    }
    const a = s === 0 ? [] : tableau.a[s - 1];
    K.push(L * (1 + h * a.reduce((sum, w, j) => sum + Math.abs(w) * K[j], 0)));
  }
  const bound = h * tableau.b.reduce((sum, w, s) => sum + Math.abs(w) * K[s], 0);
  return { cannot: Number.isFinite(bound) && bound < 1, calls };
}

/**
 * Newton starts for one target: the grid points where the distance from the step's image to the
 * target is a local minimum over the 8 neighbours (one per basin of a preimage), closest first,
 * up to SEEDS of them.
 */
function bestGridPoints(grid: StepGrid, target: ArrayLike<number>): Float64Array[] {
  const dist = new Float64Array(grid.count);
  for (let q = 0; q < grid.count; q++) {
    dist[q] = Math.max(Math.abs(grid.image[2 * q] - target[0]), Math.abs(grid.image[2 * q + 1] - target[1]));
  }
  const G = grid.size;
  const minima: number[] = [];
  for (let k1 = 0; k1 < G; k1++) {
    for (let k0 = 0; k0 < G; k0++) {
      const q = k1 * G + k0;
      let isMin = true;
      for (let a = -1; a <= 1 && isMin; a++) {
        for (let b = -1; b <= 1; b++) {
          const [j0, j1] = [k0 + a, k1 + b];
          if ((a || b) && j0 >= 0 && j0 < G && j1 >= 0 && j1 < G && dist[j1 * G + j0] < dist[q]) {
            isMin = false;
            break;
          }
        }
      }
      if (isMin) minima.push(q);
    }
  }
  minima.sort((a, b) => dist[a] - dist[b]);
  return minima.slice(0, SEEDS).map((q) => grid.at.slice(2 * q, 2 * q + 2));
}
