import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  exactDivergence,
  gaussianClosedForm,
  gaussianLogDensity,
} from '../../../../src-main/engine/sample/gaussianClosedForm.js';
import { coefficientsAt, linear, trig, type Interpolant } from '../../../../src-main/engine/interpolants/schedules.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianProblem, maxAbsDiff, normalPoints, randomGaussian } from './gaussianFixture.js';

const SCHEDULES = { linear, trig };

/** Inverse of a small dense matrix by Gauss-Jordan elimination with partial pivoting. */
function inverse(M: Float64Array, d: number): Float64Array {
  const a = Float64Array.from(M);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]) > Math.abs(a[piv * d + c])) piv = r;
    for (let k = 0; k < d; k++) {
      [a[c * d + k], a[piv * d + k]] = [a[piv * d + k], a[c * d + k]];
      [inv[c * d + k], inv[piv * d + k]] = [inv[piv * d + k], inv[c * d + k]];
    }
    const p = a[c * d + c];
    for (let k = 0; k < d; k++) {
      a[c * d + k] /= p;
      inv[c * d + k] /= p;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r * d + c];
      for (let k = 0; k < d; k++) {
        a[r * d + k] -= f * a[c * d + k];
        inv[r * d + k] -= f * inv[c * d + k];
      }
    }
  }
  return inv;
}

function matmul(A: Float64Array, B: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) out[i * d + j] += A[i * d + k] * B[k * d + j];
  return out;
}

/** alpha I + beta S. */
function shiftedScaled(S: Float64Array, d: number, alpha: number, beta: number): Float64Array {
  const out = S.map((s) => beta * s);
  for (let i = 0; i < d; i++) out[i * d + i] += alpha;
  return out;
}

describe('the exact Gaussian interpolant field', () => {
  for (const [name, s] of Object.entries(SCHEDULES) as [string, Interpolant][]) {
    test(`C(t) equals (a a' I + b b' S)(a^2 I + b^2 S)^-1 computed directly (${name})`, () => {
      const d = 10;
      const { m, S } = randomGaussian(d, 2);
      const field = gaussianClosedForm(m, S, s);
      for (const t of [0, 0.3, 0.5, 0.9, 1]) {
        const { a, b, da, db } = coefficientsAt(s, t);
        const direct = matmul(shiftedScaled(S, d, a * da, b * db), inverse(shiftedScaled(S, d, a * a, b * b), d), d);
        assert.ok(maxAbsDiff(field.matrix(t), direct) < 1e-10, `t=${t}`);
      }
    });

    test(`the velocity is the time derivative of the exact flow map along each path (${name})`, async () => {
      const d = 10;
      const n = 8;
      const { field } = gaussianProblem(d, 3, s);
      const x0 = normalPoints(n, d, 1);
      const h = 1e-5;
      for (const t of [0.1, 0.5, 0.8]) {
        const xt = field.flowMap(x0, n, 0, t);
        const before = field.flowMap(x0, n, 0, t - h);
        const fd = field.flowMap(x0, n, 0, t + h).map((v, i) => (v - before[i]) / (2 * h));
        assert.ok(maxAbsDiff(await field(t, xt, n, d), fd) < 1e-7, `t=${t}`);
      }
    });

    test(`the divergence is the trace of the finite-difference Jacobian (${name})`, async () => {
      const d = 10;
      const { S, field } = gaussianProblem(d, 4, s);
      const x = normalPoints(1, d, 2);
      const h = 1e-5;
      for (const t of [0.2, 0.6, 1]) {
        let trace = 0;
        for (let j = 0; j < d; j++) {
          const plus = Float64Array.from(x);
          const minus = Float64Array.from(x);
          plus[j] += h;
          minus[j] -= h;
          trace += ((await field(t, plus, 1, d))[j] - (await field(t, minus, 1, d))[j]) / (2 * h);
        }
        assert.ok(Math.abs(field.divergence(t) - trace) < 1e-7);
        assert.ok(Math.abs(exactDivergence(S, s, t) - trace) < 1e-7);
        const { v, div } = await field.withDivergence(t, x, 1, d);
        assert.deepEqual(v, await field(t, x, 1, d));
        assert.equal(div[0], field.divergence(t));
      }
    });

    test(`the flow map sends x0 to m + S^(1/2) x0 with the symmetric square root (${name})`, () => {
      const d = 10;
      const { m, S, field } = gaussianProblem(d, 5, s);
      const identity = new Float64Array(d * d);
      for (let i = 0; i < d; i++) identity[i * d + i] = 1;
      // Row i of the image of e_i minus m is column i of A; A is symmetric, so rows = columns.
      const A = field.flowMap(identity, d, 0, 1).map((v, k) => v - m[k % d]);
      assert.ok(maxAbsDiff(A, Float64Array.from({ length: d * d }, (_, k) => A[(k % d) * d + Math.floor(k / d)])) < 1e-12);
      assert.ok(maxAbsDiff(matmul(A, A, d), S) < 1e-12);
      assert.ok(maxAbsDiff(field.flowMap(field.flowMap(identity, d, 0, 0.4), d, 0.4, 1), field.flowMap(identity, d, 0, 1)) < 1e-12);
    });
  }

  test('under the linear schedule v(0, x) = E[x1 - x0 | x0 = x] = m - x for any S', async () => {
    const d = 3;
    const { m, S } = randomGaussian(d, 8);
    const field = gaussianClosedForm(m, S, linear);
    const x = new Float64Array([0.3, 0.1, -0.7]);
    assert.ok(maxAbsDiff(await field(0, x, 1, d), m.map((mi, i) => mi - x[i])) < 1e-14);
  });
});

describe('the exact Gaussian log-density', () => {
  test('matches -(d ln 2pi + ln det S + (x-m)^T S^-1 (x-m)) / 2 with a direct inverse and determinant', () => {
    const m = new Float64Array([0.5, -1]);
    const S = new Float64Array([2, 0.6, 0.6, 1]);
    const det = 2 * 1 - 0.6 * 0.6;
    const x = new Float64Array([1.5, 0.2, -0.3, -1.1]);
    const got = gaussianLogDensity(m, S, x, 2);
    for (let p = 0; p < 2; p++) {
      const u = x[2 * p] - m[0];
      const w = x[2 * p + 1] - m[1];
      const quad = (1 * u * u - 2 * 0.6 * u * w + 2 * w * w) / det;
      assert.ok(Math.abs(got[p] + 0.5 * (2 * Math.log(2 * Math.PI) + Math.log(det) + quad)) < 1e-13);
    }
  });

  test('integrates to 1 on a grid in 2-D', () => {
    const { m, S } = randomGaussian(2, 6);
    const field = gaussianClosedForm(m, S, trig);
    const step = 0.05;
    const half = 12;
    const pts: number[] = [];
    const cells = Math.round(half / step);
    for (let i = -cells; i <= cells; i++) {
      for (let j = -cells; j <= cells; j++) pts.push(m[0] + i * step, m[1] + j * step);
    }
    const logp = field.logDensity(pts, pts.length / 2);
    const mass = logp.reduce((acc, l) => acc + Math.exp(l), 0) * step * step;
    assert.ok(Math.abs(mass - 1) < 1e-6, `mass ${mass}`);
  });

  test('a covariance that is not symmetric positive-definite is refused with a UserError naming the fix', () => {
    const m = new Float64Array(2);
    assert.throws(
      () => gaussianClosedForm(m, new Float64Array([1, 2, 2, 1]), linear),
      (e: unknown) => e instanceof UserError && /not positive-definite/.test(e.message),
    );
    assert.throws(() => gaussianClosedForm(m, new Float64Array([1, 0.5, 0, 1]), linear), /not symmetric/);
    assert.throws(() => gaussianClosedForm(m, new Float64Array([1, 0, 0]), linear), /d x d matrix/);
  });
});
