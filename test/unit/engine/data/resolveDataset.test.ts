import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../../../src-main/errors.js';
import { writeNpy } from '../../../../src-main/engine/data/npyWrite.js';
import { DEFAULT_TOY_POINTS, resolveDataset } from '../../../../src-main/engine/data/resolveDataset.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-resolve-'));

function userError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe('resolving a toy name', () => {
  test(`a toy gives DEFAULT_TOY_POINTS = ${DEFAULT_TOY_POINTS} points from the seed, with its exact density and entropy`, () => {
    const ds = resolveDataset('checkerboard', { seed: 3 });
    assert.equal(ds.name, 'checkerboard');
    assert.equal(ds.n, 100_000);
    assert.equal(ds.d, 2);
    assert.equal(ds.data.length, 200_000);
    assert.deepEqual(ds.columns, ['x', 'y']);
    assert.equal(ds.source, 'toy:checkerboard');
    assert.deepEqual(ds.entropy, { value: Math.log(32), exact: true });
    assert.deepEqual(ds.bbox, { xMin: -4, xMax: 4, yMin: -4, yMax: 4 });
    assert.ok(ds.logDensity!(ds.data, ds.n).every((v) => v === -Math.log(32)));
  });

  test('the same seed resolves to the same points, another seed to others; n sets the size', () => {
    const a = resolveDataset('moons', { seed: 1, n: 500 });
    assert.equal(a.n, 500);
    assert.deepEqual(resolveDataset('moons', { seed: 1, n: 500 }).data, a.data);
    assert.notDeepEqual(resolveDataset('moons', { seed: 2, n: 500 }).data, a.data);
    assert.equal(a.logDensity, undefined);
    assert.equal(a.entropy, undefined);
  });

  test('a mixture toy gets a Monte Carlo entropy with its standard error', () => {
    const ds = resolveDataset('8gaussians', { seed: 1, n: 1000 });
    assert.equal(ds.entropy!.exact, false);
    assert.ok(ds.entropy!.stdErr! > 0 && ds.entropy!.stdErr! < 0.01);
    assert.ok(Math.abs(ds.entropy!.value - 2.838) < 0.02);
  });

  test("'gaussian' is the standard normal in 2-D, and names are case-insensitive", () => {
    const ds = resolveDataset('Gaussian', { seed: 1, n: 1000 });
    assert.equal(ds.name, 'gaussian');
    assert.deepEqual(ds.entropy, { value: 1 + Math.log(2 * Math.PI), exact: true });
    assert.ok(Math.abs(ds.logDensity!(Float64Array.of(0, 0), 1)[0] + Math.log(2 * Math.PI)) < 1e-12);
  });
});

describe('resolving a file', () => {
  test('a CSV file gives its numeric columns, named by its header, with a plot box around the data', () => {
    const path = join(dir, 'points.csv');
    writeFileSync(path, 'a,b\n0,0\n10,-5\n5,5\n');
    const ds = resolveDataset(path, { seed: 1 });
    assert.equal(ds.name, 'points.csv');
    assert.equal(ds.source, path);
    assert.equal(ds.n, 3);
    assert.deepEqual(ds.columns, ['a', 'b']);
    assert.deepEqual(ds.bbox, { xMin: -0.5, xMax: 10.5, yMin: -5.5, yMax: 5.5 });
    assert.equal(ds.logDensity, undefined);
  });

  test('an NPY file; n keeps a seeded random subset of its rows', () => {
    const n = 1000;
    const data = Float32Array.from({ length: 2 * n }, (_, k) => k);
    const path = join(dir, 'rows.NPY');
    writeNpy(path, data, n, 2);
    assert.equal(resolveDataset(path, { seed: 1 }).n, n);
    const sub = resolveDataset(path, { seed: 1, n: 100 });
    assert.equal(sub.n, 100);
    for (let i = 0; i < 100; i++) {
      assert.equal(sub.data[2 * i] % 2, 0, 'rows are kept whole');
      assert.equal(sub.data[2 * i + 1], sub.data[2 * i] + 1);
      if (i > 0) assert.ok(sub.data[2 * i] > sub.data[2 * i - 2], 'rows keep their file order');
    }
    assert.deepEqual(resolveDataset(path, { seed: 1, n: 100 }).data, sub.data);
    assert.notDeepEqual(resolveDataset(path, { seed: 2, n: 100 }).data, sub.data);
  });

  test('an unknown name or extension lists the valid choices', () => {
    userError(() => resolveDataset('checkers', { seed: 1 }), /unknown dataset 'checkers'/, /checkerboard, 8gaussians/, /\.csv or \.npy/);
    userError(() => resolveDataset(join(dir, 'points.txt'), { seed: 1 }), /unknown dataset/, /\.csv or \.npy/);
  });

  test('a missing file is a UserError naming it', () => {
    userError(() => resolveDataset(join(dir, 'nope.csv'), { seed: 1 }), /nope\.csv: file not found/);
  });

  test('a bad size n is a UserError', () => {
    userError(() => resolveDataset('moons', { seed: 1, n: 1 }), /size n must be a whole number from 2/);
    userError(() => resolveDataset('moons', { seed: 1, n: 2.5 }), /size n/);
  });
});
