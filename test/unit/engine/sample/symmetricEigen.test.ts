import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../../src-main/engine/random.js';
import { spectralMatrix, symmetricEigen } from '../../../../src-main/engine/sample/symmetricEigen.js';
import { maxAbsDiff } from './gaussianFixture.js';

function randomSymmetric(d: number, seed: number): Float64Array {
  const rng = new Rng(seed, 3);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = rng.normal();
  return a;
}

test('Jacobi eigendecomposition reconstructs a random symmetric (indefinite) 12x12 matrix', () => {
  const d = 12;
  const a = randomSymmetric(d, 1);
  const eigen = symmetricEigen(a, d);
  assert.ok(maxAbsDiff(spectralMatrix(eigen, eigen.values), a) < 1e-12);
  assert.ok(Math.min(...eigen.values) < 0 && Math.max(...eigen.values) > 0);
  const identity = spectralMatrix(eigen, new Float64Array(d).fill(1));
  const expected = new Float64Array(d * d);
  for (let i = 0; i < d; i++) expected[i * d + i] = 1;
  assert.ok(maxAbsDiff(identity, expected) < 1e-12, 'eigenvectors are orthonormal');
});

test('each eigenpair satisfies A q = lambda q', () => {
  const d = 6;
  const a = randomSymmetric(d, 2);
  const { values, vectors } = symmetricEigen(a, d);
  for (let k = 0; k < d; k++) {
    for (let i = 0; i < d; i++) {
      let aq = 0;
      for (let j = 0; j < d; j++) aq += a[i * d + j] * vectors[j * d + k];
      assert.ok(Math.abs(aq - values[k] * vectors[i * d + k]) < 1e-12);
    }
  }
});

test('a diagonal matrix is returned as is', () => {
  const { values } = symmetricEigen([3, 0, 0, -1], 2);
  assert.deepEqual(Array.from(values), [3, -1]);
});
