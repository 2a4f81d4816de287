/** A plain TypeScript forward pass of the velocity MLP (float64), the reference for graph tests. */
import { paramLayout, type MlpSpec } from '../../src-main/engine/nets/mlp.js';

function act(x: number, a: MlpSpec['activation']): number {
  if (a === 'silu') return x / (1 + Math.exp(-x));
  if (a === 'tanh') return Math.tanh(x);
  // GELU, erf form, via a high-precision erf approximation (Abramowitz-Stegun 7.1.26 is too coarse)
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

function erf(x: number): number {
  // series for small |x|, continued fraction otherwise; accurate to ~1e-12
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = x;
    let term = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (ax + f);
  const r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return x < 0 ? -r : r;
}

export function referenceVelocity(spec: MlpSpec, params: Float32Array, x: ArrayLike<number>, t: ArrayLike<number>, n: number): Float64Array {
  const { slots } = paramLayout(spec);
  const out = new Float64Array(n * spec.dim);
  for (let i = 0; i < n; i++) {
    let h: number[] = [];
    for (let j = 0; j < spec.dim; j++) h.push(x[i * spec.dim + j]);
    const ti = t[i];
    h.push(ti);
    for (let k = 1; k <= spec.timeFrequencies; k++) h.push(Math.sin(2 * Math.PI * k * ti));
    for (let k = 1; k <= spec.timeFrequencies; k++) h.push(Math.cos(2 * Math.PI * k * ti));
    for (let l = 0; l < slots.length; l += 2) {
      const w = slots[l];
      const b = slots[l + 1];
      const [fin, fout] = w.shape as [number, number];
      const next = new Array<number>(fout).fill(0);
      for (let o = 0; o < fout; o++) {
        let s = params[b.offset + o];
        for (let q = 0; q < fin; q++) s += h[q] * params[w.offset + q * fout + o];
        next[o] = l + 2 < slots.length ? act(s, spec.activation) : s;
      }
      h = next;
    }
    for (let j = 0; j < spec.dim; j++) out[i * spec.dim + j] = h[j];
  }
  return out;
}
