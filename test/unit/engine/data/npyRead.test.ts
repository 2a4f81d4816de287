import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../../../src-main/errors.js';
import { decodeNpy, readNpy } from '../../../../src-main/engine/data/npyRead.js';
import { encodeNpy } from '../../../../src-main/engine/data/npyWrite.js';
import { MAX_ROWS } from '../../../../src-main/engine/data/tableLimits.js';

/** Files written by numpy (test/fixtures/data/make_npy_fixtures.py). */
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/data/${name}`, import.meta.url));

/** The fixtures' values: element k (row-major) is k * 0.37 - 1.1, stored as float32 or float64. */
function expected(rows: number, cols: number): number[] {
  return Array.from({ length: rows * cols }, (_, k) => Math.fround(k * 0.37 - 1.1));
}

function rejects(bytes: Uint8Array, ...patterns: RegExp[]): void {
  assert.throws(() => decodeNpy(bytes, 'a.npy'), (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.ok(!e.message.includes('\n'), 'the message is one line');
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

/** An NPY 1.0 file with the given header dict and body. */
function npyBytes(dict: string, body = new Uint8Array(0)): Uint8Array {
  const header = dict + ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

describe('NPY import of numpy-written files', () => {
  test('float32 [6, 2], format 1.0', () => {
    const t = readNpy(fixture('float32.npy'));
    assert.equal(t.n, 6);
    assert.equal(t.d, 2);
    assert.deepEqual(t.columns, ['x1', 'x2']);
    assert.deepEqual([...t.data], expected(6, 2));
  });

  test('float64 [5, 3] is rounded to float32', () => {
    const t = readNpy(fixture('float64.npy'));
    assert.equal(t.n, 5);
    assert.equal(t.d, 3);
    assert.deepEqual([...t.data], expected(5, 3));
  });

  test('format versions 2.0 and 3.0', () => {
    for (const name of ['float32_v2.npy', 'float32_v3.npy']) {
      const bytes = readFileSync(fixture(name));
      assert.equal(bytes[6], Number(name[9]));
      assert.deepEqual([...readNpy(fixture(name)).data], expected(6, 2));
    }
  });

  test('Fortran order is transposed into rows', () => {
    const bytes = readFileSync(fixture('fortran.npy'));
    assert.match(bytes.toString('latin1', 10, 80), /'fortran_order': True/);
    const t = readNpy(fixture('fortran.npy'));
    assert.equal(t.n, 4);
    assert.equal(t.d, 3);
    assert.deepEqual([...t.data], expected(4, 3));
  });

  test('big-endian float32 is converted', () => {
    assert.deepEqual([...readNpy(fixture('bigendian.npy')).data], expected(3, 2));
  });
});

describe('NPY import refuses what it cannot use, saying how to fix it', () => {
  test('int64', () => rejects(readFileSync(fixture('int64.npy')), /dtype int64 \('<i8'\) is not supported/, /astype\(np.float32\)/));
  test('a 3-D array', () => rejects(readFileSync(fixture('rank3.npy')), /shape \(2, 3, 4\), 3-D/, /2-D array/, /reshape\(len\(a\), -1\)/));
  test('a 1-D array', () => rejects(readFileSync(fixture('rank1.npy')), /shape \(5,\), 1-D/, /reshape\(-1, 1\)/));
  test('NaN, with its row and column', () => rejects(readFileSync(fixture('nan.npy')), /row 3, column 2 is NaN/, /remove or impute/));

  test('a float64 beyond the float32 range', () => {
    const bytes = new Uint8Array(readFileSync(fixture('float64.npy')));
    new DataView(bytes.buffer).setFloat64(bytes.length - 8 * 15 + 8 * 4, 1e300, true);
    rejects(bytes, /row 2, column 2 is 1e\+300, too large for float32/);
  });

  test('a file that is not NPY', () => rejects(new TextEncoder().encode('x,y\n1,2\n'), /not a valid NPY file/, /numpy.save/));
  test('an unknown format version', () => {
    const bytes = new Uint8Array(readFileSync(fixture('float32.npy')));
    bytes[6] = 9;
    rejects(bytes, /format version 9.0 is not supported/);
  });

  test('a truncated file', () => {
    const bytes = readFileSync(fixture('float32.npy'));
    rejects(bytes.subarray(0, bytes.length - 4), /truncated/, /needs 48 data bytes but it holds 44/);
  });

  test('zero rows', () => rejects(encodeNpy(new Float32Array(0), 0, 2), /no data rows \(0 rows\)/));
  test('a single row', () => rejects(encodeNpy(Float32Array.of(1, 2), 1, 2), /single row/));
  test('a structured dtype', () => rejects(npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }"), /structured/));
  test('float16', () => rejects(npyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2), }"), /dtype float16/));

  test(`more than MAX_ROWS = ${MAX_ROWS} rows, refused before reading the data`, () => {
    assert.equal(MAX_ROWS, 10_000_000);
    rejects(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (10000001, 2), }"), /10,000,001 rows is more than the limit of 10,000,000/);
  });

  test('a missing file', () => {
    assert.throws(() => readNpy(fixture('missing.npy')), (e: unknown) => e instanceof UserError && /file not found/.test(e.message));
  });
});
