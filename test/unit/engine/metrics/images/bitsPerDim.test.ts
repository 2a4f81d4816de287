import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bitsPerDim, bitsPerDimFromNll } from '../../../../../src-main/engine/metrics/images/bitsPerDim.js';
import { Rng } from '../../../../../src-main/engine/random.js';

const LEVELS = 256;

test('the uniform density on [-1, 1]^D scores exactly 8 bits/dim, the entropy of uniform 8-bit pixels', () => {
  const D = 784;
  const logLik = new Float64Array(50).fill(-D * Math.LN2);
  const r = bitsPerDim(logLik, D);
  assert.ok(Math.abs(r.bitsPerDim - 8) < 1e-12, `${r.bitsPerDim}`);
  assert.ok(r.stdErr < 1e-12, `${r.stdErr}`);
});

test('bits/dim = NLL_x / (D ln 2) + 7, and the standard error scales by 1 / (D ln 2)', () => {
  const r = bitsPerDimFromNll(1000, 10, 784);
  assert.ok(Math.abs(r.bitsPerDim - (1000 / (784 * Math.LN2) + 7)) < 1e-12);
  assert.ok(Math.abs(r.stdErr - 10 / (784 * Math.LN2)) < 1e-15);
});

/**
 * Each pixel's value x in [-1, 1] has the linear density p(x) = (1 + a x)/2, CDF
 * F(x) = (x + 1)/2 + a (x^2 - 1)/4. Levels k follow the discrete law P(k) = F(x_{k+1}) - F(x_k),
 * x_k = 2k/256 - 1, whose entropy H (bits per pixel) is exact. The flow-style estimate, -log p of
 * the dequantised x = 2 (k + u)/256 - 1 turned into bits/dim, must agree with H: the Jensen gap
 * of a density this smooth across a bin is ~1e-6 bits.
 */
test('bits/dim of dequantised pixels under the true linear density equals the exact discrete entropy', () => {
  const a = 0.8;
  const D = 16;
  const n = 4000;
  const F = (x: number) => (x + 1) / 2 + (a * (x * x - 1)) / 4;
  const P = Float64Array.from({ length: LEVELS }, (_, k) => F((2 * (k + 1)) / LEVELS - 1) - F((2 * k) / LEVELS - 1));
  let H = 0;
  for (const p of P) H -= p * Math.log2(p);
  // the continuous entropy h of p gives the same figure, h / ln 2 + 7 (as bits/dim would for D = 1)
  const antiderivative = (w: number) => ((w * w) / 2) * Math.log(w / 2) - (w * w) / 4;
  const h = -(antiderivative(1 + a) - antiderivative(1 - a)) / (2 * a);
  assert.ok(Math.abs(h / Math.LN2 + 7 - H) < 1e-4, `H ${H} vs h/ln2 + 7 = ${h / Math.LN2 + 7}`);

  const cdf = new Float64Array(LEVELS);
  P.reduce((acc, p, k) => (cdf[k] = acc + p), 0);
  const rng = new Rng(7, 3);
  const logLik = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let l = 0;
    for (let j = 0; j < D; j++) {
      const v = rng.uniform();
      let k = 0;
      while (k < LEVELS - 1 && cdf[k] < v) k++;
      const x = (2 * (k + rng.uniform())) / LEVELS - 1;
      l += Math.log((1 + a * x) / 2);
    }
    logLik[i] = l;
  }
  const r = bitsPerDim(logLik, D);
  assert.ok(r.stdErr > 0 && r.stdErr < 0.01, `standard error ${r.stdErr}`);
  assert.ok(Math.abs(r.bitsPerDim - H) < 4 * r.stdErr, `estimate ${r.bitsPerDim} +- ${r.stdErr} vs exact ${H}`);
  // a wrong offset (forgetting the -D ln 2 of the scaling, i.e. + 8) would sit 1 bit away
  assert.ok(4 * r.stdErr < 0.5);
});
