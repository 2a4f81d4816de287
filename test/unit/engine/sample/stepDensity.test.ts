import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newFoldScreen, stepSamplerLogDensity } from '../../../../src-main/engine/sample/stepDensity.js';
import { logAbsDeterminant, luSolve } from '../../../../src-main/engine/sample/smallMatrices.js';
import { integrateFixed } from '../../../../src-main/engine/sample/integrateFixed.js';
import { standardNormalLogDensity } from '../../../../src-main/engine/sample/likelihood.js';
import { gaussianLogDensity, type GaussianField } from '../../../../src-main/engine/sample/gaussianClosedForm.js';
import { FIXED_METHODS, RK_METHODS, type FixedMethod } from '../../../../src-main/engine/sample/rungeKutta.js';
import { linear, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import type { VelocityFn, VelocityJacFn } from '../../../../src-main/engine/sample/types.js';
import { UserError } from '../../../../src-main/errors.js';
import { gaussianProblem, maxAbsDiff, normalPoints } from './gaussianFixture.js';

/** The Gaussian field with its Jacobian: v is affine in x, Dv = C(t) at every point. */
function withJacobian(field: GaussianField): VelocityJacFn {
  return async (t, x, n, d) => {
    const v = await field(t, x, n, d);
    const C = field.matrix(t);
    const jac = new Float64Array(n * d * d);
    for (let p = 0; p < n; p++) jac.set(C, p * d * d);
    return { v, jac };
  };
}

/** A nonlinear 2-D field and its Jacobian, written out by hand. */
const bent: VelocityFn = async (t, x, n) => {
  const out = new Float64Array(n * 2);
  for (let p = 0; p < n; p++) {
    const [a, b] = [x[2 * p], x[2 * p + 1]];
    out[2 * p] = b * Math.cos(t) + 0.3 * Math.sin(a) + 0.5;
    out[2 * p + 1] = -0.8 * a + 0.4 * t * Math.tanh(b) + 0.2 * a * a * 0.1;
  }
  return out;
};
const bentJac: VelocityJacFn = async (t, x, n, d) => {
  const v = await bent(t, x, n, d);
  const jac = new Float64Array(n * 4);
  for (let p = 0; p < n; p++) {
    const [a, b] = [x[2 * p], x[2 * p + 1]];
    jac.set([0.3 * Math.cos(a), Math.cos(t), -0.8 + 0.04 * a, 0.4 * t / Math.cosh(b) ** 2], 4 * p);
  }
  return { v, jac };
};

/** The affine k-step map of an affine field, read off by solving from 0 and the unit vectors: T(x) = c + M x. */
async function affineMap(f: VelocityFn, d: number, method: FixedMethod, steps: number): Promise<{ c: Float64Array; M: Float64Array }> {
  const solve = async (x0: Float64Array) => (await integrateFixed(f, x0, 1, d, { t0: 0, t1: 1, steps, method })).x;
  const c = await solve(new Float64Array(d));
  const M = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const e = new Float64Array(d);
    e[j] = 1;
    const col = await solve(e);
    for (let i = 0; i < d; i++) M[i * d + j] = col[i] - c[i];
  }
  return { c, M };
}

describe('the exact density of a k-step sampler', () => {
  for (const [name, schedule] of Object.entries({ linear, trig })) {
    for (const d of [2, 3]) {
      test(`an affine field's k-step samples are N(c, M M^T): every method, steps 2, 3, 7 (d=${d}, ${name})`, async () => {
        const { field } = gaussianProblem(d, 70 + d, schedule);
        const n = 40;
        for (const method of FIXED_METHODS) {
          for (const steps of [2, 3, 7]) {
            const { c, M } = await affineMap(field, d, method, steps);
            const cov = new Float64Array(d * d);
            for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) cov[i * d + j] += M[i * d + k] * M[j * d + k];
            const z = normalPoints(n, d, 5 + steps);
            const y = new Float64Array(n * d);
            for (let p = 0; p < n; p++) for (let i = 0; i < d; i++) {
              y[p * d + i] = c[i];
              for (let k = 0; k < d; k++) y[p * d + i] += M[i * d + k] * z[p * d + k];
            }
            const r = await stepSamplerLogDensity(withJacobian(field), y, n, d, { method, steps, baseLogDensity: standardNormalLogDensity, tolerance: 1e-12 });
            const exact = gaussianLogDensity(c, cov, y, n);
            assert.equal(r.unresolved, 0);
            assert.ok(maxAbsDiff(r.logDensity, exact) < 1e-9, `${method}-${steps}: off by ${maxAbsDiff(r.logDensity, exact)}`);
            assert.ok(maxAbsDiff(r.x0, z) < 1e-9, `${method}-${steps}: the preimages are the base points`);
          }
        }
      });
    }
  }

  test("converges to the flow's density at each method's order (Gaussian target, trig)", async () => {
    const d = 2;
    const n = 30;
    const { field } = gaussianProblem(d, 91, trig);
    const y = field.flowMap(normalPoints(n, d, 3), n, 0, 1);
    const exact = field.logDensity(y, n);
    for (const method of FIXED_METHODS) {
      const errors: number[] = [];
      for (const steps of [8, 16, 32]) {
        const r = await stepSamplerLogDensity(withJacobian(field), y, n, d, { method, steps, baseLogDensity: standardNormalLogDensity, tolerance: 1e-12 });
        errors.push(maxAbsDiff(r.logDensity, exact));
      }
      const order = RK_METHODS[method].order;
      for (let i = 1; i < errors.length; i++) {
        const observed = Math.log2(errors[i - 1] / errors[i]);
        assert.ok(Math.abs(observed - order) < 0.35, `${method}: observed order ${observed.toFixed(2)} (errors ${errors.map((e) => e.toExponential(2))}), expected ${order}`);
      }
    }
  });

  test('on a nonlinear field: the preimages map to the points, and the density matches finite differences of the solve', async () => {
    const d = 2;
    const n = 12;
    const z = normalPoints(n, d, 17);
    for (const method of FIXED_METHODS) {
      const steps = 5;
      const solve = async (x0: Float64Array, m: number) => (await integrateFixed(bent, x0, m, d, { t0: 0, t1: 1, steps, method })).x;
      const y = await solve(z, n);
      const r = await stepSamplerLogDensity(bentJac, y, n, d, { method, steps, baseLogDensity: standardNormalLogDensity, tolerance: 1e-12 });
      assert.equal(r.unresolved, 0);
      assert.ok(maxAbsDiff(await solve(r.x0, n), y) < 1e-10, `${method}: T(x0) = y`);
      // log p = log rho0(x0) - log |det DT(x0)|, DT by central differences of the whole solve
      const eps = 1e-5;
      const base = standardNormalLogDensity(r.x0, n, d);
      for (let p = 0; p < n; p++) {
        const J = new Float64Array(d * d);
        for (let j = 0; j < d; j++) {
          const plus = Float64Array.from(r.x0.subarray(p * d, (p + 1) * d));
          const minus = Float64Array.from(plus);
          plus[j] += eps;
          minus[j] -= eps;
          const [yp, ym] = [await solve(plus, 1), await solve(minus, 1)];
          for (let i = 0; i < d; i++) J[i * d + j] = (yp[i] - ym[i]) / (2 * eps);
        }
        const fd = base[p] - logAbsDeterminant(J, d);
        assert.ok(Math.abs(r.logDensity[p] - fd) < 1e-7, `${method}, point ${p}: ${r.logDensity[p]} vs ${fd}`);
      }
    }
  });

  test("Newton starts from the branch's last step taken again: one iteration a step where the field is smooth", async () => {
    const d = 2;
    const n = 50;
    const steps = 32;
    const y = (await integrateFixed(bent, normalPoints(n, d, 23), n, d, { t0: 0, t1: 1, steps, method: 'euler' })).x;
    const r = await stepSamplerLogDensity(bentJac, y, n, d, { method: 'euler', steps, baseLogDensity: standardNormalLogDensity });
    assert.equal(r.unresolved, 0);
    assert.equal(r.folds, 0);
    // per step: the start's residual, one Newton iteration, the fold screen's field at its time (the first step starts at y and takes one more)
    assert.ok(r.calls <= 3 * steps + 1, `${r.calls} step evaluations for ${steps} steps`);
  });

  test('a fold screen shared by the solves of one measurement reads each time\'s field once and changes no figure', async () => {
    const d = 2;
    const n = 50;
    const steps = 16;
    const y = (await integrateFixed(bent, normalPoints(n, d, 29), n, d, { t0: 0, t1: 1, steps, method: 'rk4' })).x;
    const foldScreen = newFoldScreen(y, n);
    const first = await stepSamplerLogDensity(bentJac, y, n, d, { method: 'rk4', steps, baseLogDensity: standardNormalLogDensity, foldScreen });
    assert.equal(foldScreen.norms.size, 2 * steps + 1, 'rk4 reads the field at t_i and t_i + h/2');
    const again = await stepSamplerLogDensity(bentJac, y, n, d, { method: 'rk4', steps, baseLogDensity: standardNormalLogDensity, foldScreen });
    assert.equal(again.calls, first.calls - (2 * steps + 1), 'the second solve reads no time\'s field anew');
    const alone = await stepSamplerLogDensity(bentJac, y, n, d, { method: 'rk4', steps, baseLogDensity: standardNormalLogDensity });
    assert.deepEqual(Array.from(again.logDensity), Array.from(alone.logDensity));
    // half as many euler steps fall on times already screened
    await stepSamplerLogDensity(bentJac, y, n, d, { method: 'euler', steps: steps / 2, baseLogDensity: standardNormalLogDensity, foldScreen });
    assert.equal(foldScreen.norms.size, 2 * steps + 1);
  });

  test('a step that folds the plane: the density sums every preimage (one Euler step of a cubic fold)', async () => {
    // S(x) = x + v(0, x) = (u^3 / 3 - u, w): u ~ N(0, 1) has three preimages for |y1| < 2/3, one beyond
    const fold: VelocityJacFn = async (_t, x, n) => {
      const v = new Float64Array(n * 2);
      const jac = new Float64Array(n * 4);
      for (let p = 0; p < n; p++) {
        const u = x[2 * p];
        v[2 * p] = u ** 3 / 3 - 2 * u;
        jac[4 * p] = u * u - 2;
      }
      return { v, jac };
    };
    const logPhi = (u: number) => -0.5 * (Math.log(2 * Math.PI) + u * u);
    /** The real roots of u^3 / 3 - u = y by bisection on the three monotone pieces. */
    const roots = (y: number) => {
      const g = (u: number) => u ** 3 / 3 - u - y;
      const out: number[] = [];
      for (const [a0, b0] of [[-10, -1], [-1, 1], [1, 10]]) {
        let [a, b] = [a0, b0];
        if (Math.sign(g(a)) === Math.sign(g(b))) continue;
        for (let i = 0; i < 200; i++) {
          const c = (a + b) / 2;
          if (Math.sign(g(c)) === Math.sign(g(a))) a = c;
          else b = c;
        }
        out.push((a + b) / 2);
      }
      return out;
    };
    const ys = [[-0.5, 0.3], [0, -1.2], [0.3, 0.1], [1.5, 0.7], [-2.2, 0]];
    const y = Float64Array.from(ys.flat());
    const r = await stepSamplerLogDensity(fold, y, ys.length, 2, { method: 'euler', steps: 1, baseLogDensity: standardNormalLogDensity, tolerance: 1e-10 });
    assert.equal(r.folds, 1);
    assert.equal(r.unresolved, 0);
    assert.equal(r.chains, 3 + 3 + 3 + 1 + 1);
    ys.forEach(([y1, y2], p) => {
      const terms = roots(y1).map((u) => Math.exp(logPhi(u)) / Math.abs(u * u - 1));
      const exact = Math.log(terms.reduce((a, b) => a + b, 0)) + logPhi(y2);
      assert.ok(Math.abs(r.logDensity[p] - exact) < 1e-8, `point ${p}: ${r.logDensity[p]} vs ${exact} (${terms.length} preimages)`);
    });
  });

  test('a step that collapses the space leaves no density: the point is unresolved and the NLL infinite', async () => {
    // linear interpolant: v(0, x) = m - x, so one Euler step of size 1 sends every point to m
    const { field } = gaussianProblem(2, 4, linear);
    const y = normalPoints(5, 2, 1);
    const r = await stepSamplerLogDensity(withJacobian(field), y, 5, 2, { method: 'euler', steps: 1, baseLogDensity: standardNormalLogDensity });
    assert.equal(r.unresolved, 5);
    assert.equal(r.nll, Infinity);
    assert.ok(r.logDensity.every((l) => l === -Infinity));
  });

  test('rejects an unknown method or a step count below 1 with a one-line error', async () => {
    const y = new Float64Array(4);
    await assert.rejects(stepSamplerLogDensity(bentJac, y, 2, 2, { method: 'rk5' as FixedMethod, steps: 2, baseLogDensity: standardNormalLogDensity }), (e) => e instanceof UserError && /unknown fixed-step method 'rk5'/.test(e.message));
    await assert.rejects(stepSamplerLogDensity(bentJac, y, 2, 2, { method: 'euler', steps: 0, baseLogDensity: standardNormalLogDensity }), (e) => e instanceof UserError && /steps must be a positive integer/.test(e.message));
  });
});

test('luSolve and logAbsDeterminant agree with a hand-worked 3 x 3 system (a pivot is needed)', () => {
  const A = [0, 2, 1, 1, 1, 0, 2, 0, 3];
  // det = 0(3 - 0) - 2(3 - 0) + 1(0 - 2) = -8
  assert.ok(Math.abs(logAbsDeterminant(A, 3) - Math.log(8)) < 1e-14);
  const x = luSolve(A, 3, [7, 3, 11])!; // A (1, 2, 3)
  assert.ok(maxAbsDiff(x, [1, 2, 3]) < 1e-14, `got ${Array.from(x)}`);
  assert.equal(luSolve([1, 2, 2, 4], 2, [1, 1]), null);
  assert.equal(logAbsDeterminant([1, 2, 2, 4], 2), -Infinity);
});
