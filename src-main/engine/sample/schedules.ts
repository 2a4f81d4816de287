/**
 * The coefficients of a linear-in-endpoints interpolant I(t, x0, x1) = a(t) x0 + b(t) x1 and their
 * time derivatives, with a(0) = b(1) = 1 and a(1) = b(0) = 0. The interpolants module provides the
 * full families; this is the minimal shape the closed-form fields here need.
 */
export interface Schedule {
  a(t: number): number;
  b(t: number): number;
  da(t: number): number;
  db(t: number): number;
}

/** Linear (rectified flow, CondOT): a = 1 - t, b = t. */
export const linearSchedule: Schedule = {
  a: (t) => 1 - t,
  b: (t) => t,
  da: () => -1,
  db: () => 1,
};

const HALF_PI = Math.PI / 2;

/** Trigonometric (variance preserving for Gaussians): a = cos(pi t / 2), b = sin(pi t / 2). */
export const trigSchedule: Schedule = {
  a: (t) => Math.cos(HALF_PI * t),
  b: (t) => Math.sin(HALF_PI * t),
  da: (t) => -HALF_PI * Math.sin(HALF_PI * t),
  db: (t) => HALF_PI * Math.cos(HALF_PI * t),
};
