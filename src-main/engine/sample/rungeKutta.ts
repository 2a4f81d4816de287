/**
 * Explicit Runge-Kutta methods as data (Butcher tableaux) and one step written once, over a
 * `StepWorld`, so the same description drives the host solver (Float64 states, `integrateFixed`)
 * and the fused ONNX sampling program (graph values, `fusedProgram`). For dx/dt = v(t, x):
 *
 *   k_s    = v(t + c_s h, x + h sum_{j<s} a_sj k_j),   s = 1..S
 *   x_next = x + h sum_s b_s k_s
 *
 * Adding a fixed-step solver is one entry in RK_METHODS (and its name in the API schema's
 * `solverName`). Dormand-Prince's tableau (`dopri5Tableau.ts`) is the same kind of data with an
 * embedded error estimate; its adaptive driver lives in `dopri5.ts`.
 */
import type { Algebra } from '../interpolants/algebra.js';

export interface ButcherTableau {
  /** Order p: the global error on a smooth field shrinks like h^p. */
  readonly order: number;
  /** Nodes c_1..c_S (c_1 = 0); S is the number of field evaluations per step. */
  readonly c: readonly number[];
  /** Rows a_s (s = 2..S) of the strictly lower-triangular stage matrix. */
  readonly a: readonly (readonly number[])[];
  /** Weights b_1..b_S. */
  readonly b: readonly number[];
}

/** Euler: x + h v(t, x). */
export const euler: ButcherTableau = { order: 1, c: [0], a: [], b: [1] };

/** Heun (explicit trapezoid): k2 = v(t + h, x + h k1), x + h (k1 + k2) / 2. */
export const heun: ButcherTableau = { order: 2, c: [0, 1], a: [[1]], b: [1 / 2, 1 / 2] };

/** Explicit midpoint: k2 = v(t + h/2, x + h/2 k1), x + h k2. */
export const midpoint: ButcherTableau = { order: 2, c: [0, 1 / 2], a: [[1 / 2]], b: [0, 1] };

/**
 * Classical RK4: k2 = v(t + h/2, x + h/2 k1), k3 = v(t + h/2, x + h/2 k2), k4 = v(t + h, x + h k3),
 * x + h (k1 + 2 k2 + 2 k3 + k4) / 6.
 */
export const rk4: ButcherTableau = {
  order: 4,
  c: [0, 1 / 2, 1 / 2, 1],
  a: [[1 / 2], [0, 1 / 2], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
};

/** The fixed-step solvers, by name. */
export const RK_METHODS = { euler, heun, midpoint, rk4 } as const;
export type FixedMethod = keyof typeof RK_METHODS;
export const FIXED_METHODS = Object.keys(RK_METHODS) as FixedMethod[];

/** Every solver: the fixed-step tableaux and the adaptive Dormand-Prince pair. */
export type SolverName = FixedMethod | 'dopri5';
export const SOLVERS: readonly SolverName[] = [...FIXED_METHODS, 'dopri5'];

export function isFixedMethod(name: string): name is FixedMethod {
  return Object.prototype.hasOwnProperty.call(RK_METHODS, name);
}

/** Field evaluations per step (S). */
export function stagesOf(method: FixedMethod): number {
  return RK_METHODS[method].c.length;
}

/**
 * Where a step runs: scalar times T (with their algebra), states S, and the field.
 * `combine(x, [[w_1, k_1], ...])` is x + sum_j w_j k_j.
 */
export interface StepWorld<T, S> {
  time: Algebra<T>;
  combine(x: S, terms: ReadonlyArray<readonly [T, S]>): S;
  field(t: T, x: S): S;
}

/**
 * One step of size h (negative h integrates backward) of the tableau, as the formula in this
 * file's header. Zero coefficients add no term, and a unit coefficient uses h itself.
 */
export function rkStep<T, S>(W: StepWorld<T, S>, tableau: ButcherTableau, t: T, h: T, x: S): S {
  const A = W.time;
  const times = (w: number) => (w === 1 ? h : A.mul(h, A.c(w)));
  const k: S[] = [];
  const terms = (row: readonly number[]) => row.flatMap((w, j) => (w === 0 ? [] : [[times(w), k[j]] as const]));
  for (let s = 0; s < tableau.c.length; s++) {
    const ts = tableau.c[s] === 0 ? t : A.add(t, times(tableau.c[s]));
    k.push(W.field(ts, s === 0 ? x : W.combine(x, terms(tableau.a[s - 1]))));
  }
  return W.combine(x, terms(tableau.b));
}
