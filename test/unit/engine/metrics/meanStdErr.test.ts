import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meanStdErr } from '../../../../src-main/engine/metrics/meanStdErr.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { UserError } from '../../../../src-main/errors.js';

describe('meanStdErr', () => {
  test('matches the formula on a small example', () => {
    // mean 2.5; sample variance (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3; stdErr = sqrt(5/3 / 4)
    const { mean, stdErr } = meanStdErr([1, 2, 3, 4]);
    assert.equal(mean, 2.5);
    assert.ok(Math.abs(stdErr - Math.sqrt(5 / 12)) < 1e-15);
  });

  test('the standard error of n standard normals is about 1/sqrt(n)', () => {
    const rng = new Rng(1);
    const values = Float64Array.from({ length: 10000 }, () => rng.normal());
    const { mean, stdErr } = meanStdErr(values);
    assert.ok(Math.abs(stdErr * 100 - 1) < 0.03, `${stdErr}`);
    assert.ok(Math.abs(mean) < 4 * stdErr);
  });

  test('is exact for large offsets (two passes)', () => {
    const { mean, stdErr } = meanStdErr([1e9 + 1, 1e9 + 2, 1e9 + 3]);
    assert.equal(mean, 1e9 + 2);
    assert.ok(Math.abs(stdErr - Math.sqrt(1 / 3)) < 1e-9);
  });

  test('has no spread estimate for one value, and refuses none', () => {
    const one = meanStdErr([7]);
    assert.equal(one.mean, 7);
    assert.ok(Number.isNaN(one.stdErr));
    assert.throws(() => meanStdErr([]), UserError);
  });
});
