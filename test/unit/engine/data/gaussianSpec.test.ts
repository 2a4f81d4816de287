import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../../src-main/errors.js';
import { parseGaussianSpec } from '../../../../src-main/engine/data/gaussianSpec.js';
import { resolveDataset } from '../../../../src-main/engine/data/resolveDataset.js';

function userError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** Sample mean and row-major covariance of [n, d] points. */
function moments(x: Float32Array, n: number, d: number) {
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
  const cov = new Array<number>(d * d).fill(0);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] += ((x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b])) / (n - 1);
  }
  return { mean, cov };
}

describe('gaussian:MEAN[:COV] dataset specs', () => {
  test('the covariance may be omitted (identity), one variance, the diagonal, or the full matrix', () => {
    assert.deepEqual(Array.from(parseGaussianSpec('gaussian:1,-2').cov), [1, 0, 0, 1]);
    assert.deepEqual(Array.from(parseGaussianSpec('gaussian:1,-2:0.5').cov), [0.5, 0, 0, 0.5]);
    assert.deepEqual(Array.from(parseGaussianSpec('gaussian:1,-2:2,0.5').cov), [2, 0, 0, 0.5]);
    assert.deepEqual(Array.from(parseGaussianSpec(' Gaussian: 1, -2 : 2, 0.3, 0.3, 1 ').cov), [2, 0.3, 0.3, 1]);
    const g3 = parseGaussianSpec('gaussian:0,1,2:1,2,3');
    assert.equal(g3.d, 3);
    assert.deepEqual(Array.from(g3.mean), [0, 1, 2]);
    assert.deepEqual(Array.from(g3.cov), [1, 0, 0, 0, 2, 0, 0, 0, 3]);
  });

  test('the dataset draws from N(m, S) with the exact density and entropy, the same points for the same seed', () => {
    const spec = 'gaussian:1,-2:2,0.6,0.6,1';
    const ds = resolveDataset(spec, { seed: 4, n: 40_000 });
    assert.equal(ds.d, 2);
    assert.equal(ds.n, 40_000);
    assert.deepEqual(ds.columns, ['x', 'y']);
    assert.deepEqual(resolveDataset(spec, { seed: 4, n: 40_000 }).data, ds.data);
    const { mean, cov } = moments(ds.data, ds.n, 2);
    [1, -2].forEach((m, j) => assert.ok(Math.abs(mean[j] - m) < 0.03, `mean ${mean}`));
    [2, 0.6, 0.6, 1].forEach((s, k) => assert.ok(Math.abs(cov[k] - s) < 0.06, `cov ${cov}`));
    // log N(m; m, S) = -log(2 pi) - log(det S) / 2, det S = 2 - 0.36
    const atMean = ds.logDensity!(Float64Array.of(1, -2), 1)[0];
    assert.ok(Math.abs(atMean - (-Math.log(2 * Math.PI) - 0.5 * Math.log(1.64))) < 1e-12, `${atMean}`);
    assert.ok(Math.abs(ds.entropy!.value - (1 + Math.log(2 * Math.PI) + 0.5 * Math.log(1.64))) < 1e-12);
    assert.equal(ds.entropy!.exact, true);
    assert.deepEqual(ds.bbox, { xMin: 1 - 4 * Math.SQRT2, xMax: 1 + 4 * Math.SQRT2, yMin: -6, yMax: 2 });
  });

  test('a mistake in the spec is a UserError saying what is wrong and how to write it', () => {
    userError(() => parseGaussianSpec('gaussian:'), /is not a Gaussian spec; write gaussian:MEAN\[:COV\]/);
    userError(() => parseGaussianSpec('gaussian:1,x'), /the mean entry 'x' is not a finite number/);
    userError(() => parseGaussianSpec('gaussian:1,,2'), /the mean entry '' is not a finite number/);
    userError(() => parseGaussianSpec('gaussian:1,2:1,Infinity'), /the covariance entry 'Infinity' is not a finite number/);
    userError(() => parseGaussianSpec('gaussian:1,2:1,2,3'), /the covariance has 3 entries; a 2-dimensional mean takes 1 \(a variance\), 2 \(the diagonal\) or 4/);
    userError(() => parseGaussianSpec('gaussian:1,2:1,2:3'), /is not a Gaussian spec/);
    userError(() => parseGaussianSpec('gaussian:0,0:1,2,2,1'), /'gaussian:0,0:1,2,2,1': covariance is not positive definite/);
    userError(() => parseGaussianSpec('gaussian:0,0:1,0.5,0.2,1'), /covariance is not symmetric/);
    userError(() => parseGaussianSpec('gaussian:0,0:-1'), /not positive definite/);
    userError(() => parseGaussianSpec(`gaussian:${new Array(65).fill(0).join(',')}`), /65 entries is more than 64 dimensions/);
    userError(() => resolveDataset('gauss:1,2', { seed: 1 }), /unknown dataset 'gauss:1,2'.*gaussian:MEAN\[:COV\]/);
  });
});
