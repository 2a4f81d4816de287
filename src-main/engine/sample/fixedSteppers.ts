import type { VelocityFn } from './types.js';
import { velocityAt } from './velocityCall.js';

/**
 * One explicit Runge-Kutta step of size h (negative h integrates backward):
 * x_next = step(f, t, h, x). Each stepper evaluates f `evalsPerStep` times per step, and its
 * global error on a smooth field shrinks like |h|^order.
 */
export interface FixedStepper {
  readonly name: FixedMethod;
  readonly order: number;
  readonly evalsPerStep: number;
  step(f: VelocityFn, t: number, h: number, x: Float64Array, n: number, d: number): Promise<Float64Array>;
}

export type FixedMethod = 'euler' | 'heun' | 'rk4';

/** out = x + sum_i c_i k_i, elementwise. */
function combine(x: Float64Array, terms: Array<[number, Float64Array]>): Float64Array {
  const out = new Float64Array(x);
  for (const [c, k] of terms) {
    for (let i = 0; i < out.length; i++) out[i] += c * k[i];
  }
  return out;
}

/** Euler: x + h v(t, x). */
export const euler: FixedStepper = {
  name: 'euler',
  order: 1,
  evalsPerStep: 1,
  async step(f, t, h, x, n, d) {
    const k1 = await velocityAt(f, t, x, n, d);
    return combine(x, [[h, k1]]);
  },
};

/** Heun (explicit trapezoid): k1 = v(t, x), k2 = v(t + h, x + h k1), x + h (k1 + k2) / 2. */
export const heun: FixedStepper = {
  name: 'heun',
  order: 2,
  evalsPerStep: 2,
  async step(f, t, h, x, n, d) {
    const k1 = await velocityAt(f, t, x, n, d);
    const k2 = await velocityAt(f, t + h, combine(x, [[h, k1]]), n, d);
    return combine(x, [
      [h / 2, k1],
      [h / 2, k2],
    ]);
  },
};

/**
 * Classical RK4: k1 = v(t, x), k2 = v(t + h/2, x + h k1/2), k3 = v(t + h/2, x + h k2/2),
 * k4 = v(t + h, x + h k3), x + h (k1 + 2 k2 + 2 k3 + k4) / 6.
 */
export const rk4: FixedStepper = {
  name: 'rk4',
  order: 4,
  evalsPerStep: 4,
  async step(f, t, h, x, n, d) {
    const k1 = await velocityAt(f, t, x, n, d);
    const k2 = await velocityAt(f, t + h / 2, combine(x, [[h / 2, k1]]), n, d);
    const k3 = await velocityAt(f, t + h / 2, combine(x, [[h / 2, k2]]), n, d);
    const k4 = await velocityAt(f, t + h, combine(x, [[h, k3]]), n, d);
    return combine(x, [
      [h / 6, k1],
      [h / 3, k2],
      [h / 3, k3],
      [h / 6, k4],
    ]);
  },
};

export const FIXED_STEPPERS: Readonly<Record<FixedMethod, FixedStepper>> = { euler, heun, rk4 };

export function isFixedMethod(name: string): name is FixedMethod {
  return Object.prototype.hasOwnProperty.call(FIXED_STEPPERS, name);
}
