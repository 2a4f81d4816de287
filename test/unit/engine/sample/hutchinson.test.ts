import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../../src-main/engine/random.js';
import { hutchinsonEstimate, makeProbes, probeQuadraticForms } from '../../../../src-main/engine/sample/hutchinson.js';
import { meanStdErr as meanAndStdErr } from '../../../../src-main/engine/metrics/meanStdErr.js';
import { UserError } from '../../../../src-main/errors.js';

function randomMatrix(d: number, seed: number): Float64Array {
  const rng = new Rng(seed, 4);
  return new Float64Array(d * d).map(() => rng.normal());
}

/** J e for each probe and point, with a different matrix per point: products [count, n, d]. */
function applyMatrices(mats: Float64Array[], probes: Float32Array, count: number, n: number, d: number): Float64Array {
  const out = new Float64Array(count * n * d);
  for (let c = 0; c < count; c++) {
    for (let p = 0; p < n; p++) {
      const base = (c * n + p) * d;
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let j = 0; j < d; j++) acc += mats[p][i * d + j] * probes[base + j];
        out[base + i] = acc;
      }
    }
  }
  return out;
}

function trace(A: Float64Array, d: number): number {
  let t = 0;
  for (let i = 0; i < d; i++) t += A[i * d + i];
  return t;
}

/** Variance of e^T A e: Rademacher 2 (|A_s|_F^2 - sum_i A_ii^2), Gaussian 2 |A_s|_F^2, with A_s = (A + A^T) / 2. */
function probeVariance(A: Float64Array, d: number, kind: 'rademacher' | 'gaussian'): number {
  let frob = 0;
  let diag = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) frob += ((A[i * d + j] + A[j * d + i]) / 2) ** 2;
    diag += A[i * d + i] ** 2;
  }
  return kind === 'rademacher' ? 2 * (frob - diag) : 2 * frob;
}

describe('Hutchinson trace estimation', () => {
  for (const kind of ['rademacher', 'gaussian'] as const) {
    test(`the mean over 1000 ${kind} probes lies within 3 standard errors of the exact trace of a random 10x10 matrix`, () => {
      const d = 10;
      const count = 1000;
      const A = randomMatrix(d, kind === 'rademacher' ? 1 : 2);
      const probes = makeProbes(kind, count, 1, d, 17);
      const perProbe = probeQuadraticForms(probes, applyMatrices([A], probes, count, 1, d), count, 1, d);
      const { mean, stdErr } = hutchinsonEstimate(perProbe, count, 1);
      assert.ok(Math.abs(mean[0] - trace(A, d)) < 3 * stdErr[0], `estimate ${mean[0]} vs trace ${trace(A, d)} (se ${stdErr[0]})`);
      const expectedSe = Math.sqrt(probeVariance(A, d, kind) / count);
      assert.ok(Math.abs(stdErr[0] / expectedSe - 1) < 0.15, `standard error ${stdErr[0]} vs theory ${expectedSe}`);
    });
  }

  test('each point of a batch gets its own estimate of its own trace', () => {
    const d = 6;
    const n = 3;
    const count = 2000;
    const mats = [0, 1, 2].map((p) => randomMatrix(d, 10 + p));
    const probes = makeProbes('rademacher', count, n, d, 5);
    const { mean, stdErr } = hutchinsonEstimate(probeQuadraticForms(probes, applyMatrices(mats, probes, count, n, d), count, n, d), count, n);
    for (let p = 0; p < n; p++) assert.ok(Math.abs(mean[p] - trace(mats[p], d)) < 3 * stdErr[p], `point ${p}`);
  });

  test('a diagonal matrix has zero-variance Rademacher estimates equal to its trace', () => {
    const d = 4;
    const A = new Float64Array(d * d);
    for (let i = 0; i < d; i++) A[i * d + i] = i + 1;
    const probes = makeProbes('rademacher', 5, 1, d, 1);
    const { mean, stdErr } = hutchinsonEstimate(probeQuadraticForms(probes, applyMatrices([A], probes, 5, 1, d), 5, 1, d), 5, 1);
    assert.equal(mean[0], 10);
    assert.equal(stdErr[0], 0);
  });
});

describe('makeProbes', () => {
  test('Rademacher probes are +-1, balanced, reproducible from the seed and prefix-stable', () => {
    const probes = makeProbes('rademacher', 50, 4, 10, 3);
    assert.equal(probes.length, 2000);
    assert.ok(probes.every((v) => v === 1 || v === -1));
    const plus = probes.filter((v) => v === 1).length;
    assert.ok(Math.abs(plus - 1000) < 4 * Math.sqrt(500), `${plus} of 2000 are +1`);
    assert.deepEqual(makeProbes('rademacher', 50, 4, 10, 3), probes);
    assert.notDeepEqual(makeProbes('rademacher', 50, 4, 10, 4), probes);
    assert.deepEqual(makeProbes('rademacher', 20, 4, 10, 3), probes.subarray(0, 800));
  });

  test('Gaussian probes have mean 0 and variance 1', () => {
    const probes = makeProbes('gaussian', 100, 10, 10, 9);
    const { mean, stdErr } = meanAndStdErr(probes);
    assert.ok(Math.abs(mean) < 4 * stdErr);
    const variance = probes.reduce((acc, v) => acc + v * v, 0) / probes.length;
    assert.ok(Math.abs(variance - 1) < 0.06, `variance ${variance}`);
  });

  test('bad counts and kinds are refused with a UserError', () => {
    assert.throws(() => makeProbes('rademacher', 0, 1, 1, 1), UserError);
    assert.throws(() => makeProbes('sphere' as 'gaussian', 1, 1, 1, 1), /unknown probe kind 'sphere'/);
  });
});

test('mean and standard error of [1, 2, 3, 4] are 2.5 and sqrt(5/3 / 4)', () => {
  const { mean, stdErr } = meanAndStdErr([1, 2, 3, 4]);
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(stdErr - Math.sqrt(5 / 3 / 4)) < 1e-15);
});
