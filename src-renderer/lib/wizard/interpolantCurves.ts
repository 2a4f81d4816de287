/**
 * a(t), b(t) and gamma(t) of each interpolant family, for the wizard's small plot. Plain numbers
 * only (the renderer does not load the graph builder); a test checks them against the engine's
 * definitions in src-main/engine/interpolants/schedules.ts.
 */
import type { InterpolantName } from '../../../src-main/api/config.js';

export interface CurvePoint {
  a: number;
  b: number;
  gamma: number;
}

const VP_OFFSET = 0.008;
const VP_NORM = Math.cos((Math.PI / 2) * (VP_OFFSET / (1 + VP_OFFSET)));

export const INTERPOLANT_TITLES: Record<InterpolantName, string> = {
  linear: 'Linear (rectified flow)',
  trig: 'Trigonometric',
  encdec: 'Encoder-decoder',
  vp: 'VP (cosine schedule)',
  stochastic: 'Stochastic (linear + latent noise)',
  learned: 'Learned (shortest path, fitted while training)',
};

export const INTERPOLANT_FORMULAS: Record<InterpolantName, string> = {
  linear: 'I = (1 − t) x₀ + t x₁',
  trig: 'I = cos(πt/2) x₀ + sin(πt/2) x₁',
  encdec: 'I = cos²(πt) x₀ (t < ½), cos²(πt) x₁ (t ≥ ½), + sin²(πt) z',
  vp: 'I = √(1 − b²) x₀ + b x₁, cosine schedule b(t)',
  stochastic: 'I = (1 − t) x₀ + t x₁ + 2t(1 − t) z',
  learned: 'I = a(t) x₀ + b(t) x₁, trigonometric + Σ sin(kπt) terms fitted to minimise the kinetic energy (starts as trigonometric)',
};

/** A learned interpolant's coefficients: a = cos(pi t/2) + sum alpha_k sin(k pi t), b = sin(pi t/2) + sum beta_k sin(k pi t). */
export interface LearnedCurve {
  alpha: number[];
  beta: number[];
}

export function curveAt(name: InterpolantName, t: number, learned: LearnedCurve | null = null): CurvePoint {
  if (name === 'learned' && learned) {
    const series = (c: number[]) => c.reduce((sum, x, k) => sum + x * Math.sin((k + 1) * Math.PI * t), 0);
    return { a: Math.cos((Math.PI * t) / 2) + series(learned.alpha), b: Math.sin((Math.PI * t) / 2) + series(learned.beta), gamma: 0 };
  }
  switch (name) {
    case 'linear':
      return { a: 1 - t, b: t, gamma: 0 };
    case 'trig':
    // the learned family starts as trig; its fitted coefficients are the run's
    case 'learned':
      return { a: Math.cos((Math.PI * t) / 2), b: Math.sin((Math.PI * t) / 2), gamma: 0 };
    case 'encdec': {
      const c2 = Math.cos(Math.PI * t) ** 2;
      const gamma = Math.sin(Math.PI * t) ** 2;
      return t < 0.5 ? { a: c2, b: 0, gamma } : { a: 0, b: c2, gamma };
    }
    case 'vp': {
      const b = Math.cos((Math.PI / 2) * ((1 + VP_OFFSET - t) / (1 + VP_OFFSET))) / VP_NORM;
      return { a: Math.sqrt(Math.max(0, 1 - b * b)), b, gamma: 0 };
    }
    case 'stochastic':
      return { a: 1 - t, b: t, gamma: 2 * t * (1 - t) };
  }
}

/** The three curves sampled at `count` evenly spaced times in [0, 1]. */
export function sampleCurves(name: InterpolantName, count: number, learned: LearnedCurve | null = null): { t: number[]; a: number[]; b: number[]; gamma: number[] } {
  const out = { t: [] as number[], a: [] as number[], b: [] as number[], gamma: [] as number[] };
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    const p = curveAt(name, t, learned);
    out.t.push(t);
    out.a.push(p.a);
    out.b.push(p.b);
    out.gamma.push(p.gamma);
  }
  return out;
}
