import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../../../../src-main/engine/data/csvRead.js';
import { formatFloat32, writeCsv } from '../../../../src-main/engine/data/csvWrite.js';
import { decodeNpy, readNpy } from '../../../../src-main/engine/data/npyRead.js';
import { encodeNpy, encodeNpyArray, writeNpy } from '../../../../src-main/engine/data/npyWrite.js';
import { TOYS } from '../../../../src-main/engine/data/toys.js';
import { gaussian } from '../../../../src-main/engine/data/gaussian.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-write-'));
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/data/${name}`, import.meta.url));
const numpyAvailable = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe('NPY writer', () => {
  test('writes the same bytes as numpy.save for the same float32 array', () => {
    const values = Float32Array.from({ length: 12 }, (_, k) => k * 0.37 - 1.1);
    assert.deepEqual(encodeNpy(values, 6, 2), readFileSync(fixture('float32.npy')));
  });

  test('the header is padded so the data starts at a multiple of 64 bytes, ending in a newline', () => {
    for (const [n, d] of [[0, 1], [1, 3], [99, 2], [123_456, 1], [2, 54_321]]) {
      const bytes = encodeNpy(new Float32Array(n * d), n, d);
      const headerLength = bytes.readUInt16LE(8);
      assert.equal((10 + headerLength) % 64, 0);
      assert.equal(bytes[10 + headerLength - 1], 0x0a);
      assert.ok(bytes.toString('latin1', 10, 10 + headerLength).includes(`'shape': (${n}, ${d}), }`));
      assert.equal(bytes.length, 10 + headerLength + 4 * n * d);
    }
  });

  test('write then read gives back every float32 bit for bit', () => {
    const data = gaussian([0, 0, 0], [[1e-6, 0, 0], [0, 1, 0], [0, 0, 1e6]]).sample(5000, 3);
    const path = join(dir, 'roundtrip.npy');
    writeNpy(path, data, 5000, 3);
    const t = readNpy(path);
    assert.equal(t.n, 5000);
    assert.equal(t.d, 3);
    assert.deepEqual(t.data, data);
    assert.deepEqual(decodeNpy(encodeNpy(data, 5000, 3), 'mem').data, data);
  });

  test('any shape: the same bytes as numpy.save for a [2, 3, 4] array (the layout of a trajectory) and a 1-D one', () => {
    assert.deepEqual(encodeNpyArray(new Float32Array(24), [2, 3, 4]), readFileSync(fixture('rank3.npy')));
    assert.deepEqual(encodeNpyArray(new Float32Array(5), [5]), readFileSync(fixture('rank1.npy')));
    assert.deepEqual(encodeNpyArray(Float32Array.from({ length: 12 }, (_, k) => k * 0.37 - 1.1), [6, 2]), readFileSync(fixture('float32.npy')));
  });

  test('a shape that does not match the data is refused', () => {
    assert.throws(() => encodeNpy(new Float32Array(5), 2, 2), /not n x d = 2 x 2/);
    assert.throws(() => encodeNpyArray(new Float32Array(5), [2, 3]), /does not fill the shape \[2, 3\]/);
  });

  test('numpy loads a file written by writeNpy with the same shape, dtype and values', (t) => {
    if (!numpyAvailable) {
      t.skip('python3 with numpy is not installed here (pip install numpy to run this check)');
      return;
    }
    const data = TOYS.checkerboard.sample(1000, 5);
    const path = join(dir, 'for-numpy.npy');
    writeNpy(path, data, 1000, 2);
    const script = 'import json, sys, numpy as np; a = np.load(sys.argv[1]); ' +
      'print(json.dumps({"dtype": str(a.dtype), "shape": list(a.shape), "c": bool(a.flags.c_contiguous), "values": a.astype(np.float64).ravel().tolist()}))';
    const r = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { dtype: string; shape: number[]; c: boolean; values: number[] };
    assert.equal(out.dtype, 'float32');
    assert.deepEqual(out.shape, [1000, 2]);
    assert.equal(out.c, true);
    assert.deepEqual(out.values, [...data]);
  });
});

describe('CSV writer', () => {
  test('float32 values are written with the fewest digits that read back exactly', () => {
    assert.equal(formatFloat32(Math.fround(0.1)), '0.1');
    assert.equal(formatFloat32(Math.fround(-1.1)), '-1.1');
    assert.equal(formatFloat32(3), '3');
    assert.equal(formatFloat32(Math.fround(1 / 3)), '0.33333334');
    for (const v of TOYS.rings.sample(2000, 1)) assert.equal(Math.fround(Number(formatFloat32(v))), v);
  });

  test('write then read gives back the same float32 values and column names', () => {
    const data = TOYS['8gaussians'].sample(3000, 2);
    const path = join(dir, 'roundtrip.csv');
    writeCsv(path, data, 3000, 2, ['x', 'y, scaled']);
    assert.match(readFileSync(path, 'utf8').split('\n')[0], /^x,"y, scaled"$/);
    const t = readCsv(path);
    assert.deepEqual(t.columns, ['x', 'y, scaled']);
    assert.equal(t.n, 3000);
    assert.deepEqual(t.data, data);
  });

  test('columns default to x1..xd, and float64 data keeps its digits', () => {
    const path = join(dir, 'f64.csv');
    writeCsv(path, Float64Array.of(0.1, 2, 1 / 3, -4), 2, 2);
    assert.equal(readFileSync(path, 'utf8'), 'x1,x2\n0.1,2\n0.3333333333333333,-4\n');
  });
});
