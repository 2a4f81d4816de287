import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../../../../src-main/errors.js';
import { readNpyImages } from '../../../../../src-main/engine/data/images/npyImages.js';
import { readNpy } from '../../../../../src-main/engine/data/npyRead.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-npyimg-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

/** Image arrays saved by numpy; element k of each is (3 k) mod 256 (uint8) or that over 255 (floats). */
const WRITER = String.raw`
import sys, numpy as np
d = sys.argv[1]
def levels(*shape): return (np.arange(np.prod(shape)) * 3 % 256).reshape(shape)
np.save(f'{d}/gray_u8.npy', levels(5, 8, 6).astype(np.uint8))
np.save(f'{d}/rgb_f32.npy', (levels(4, 3, 6, 7) / 255).astype(np.float32))
np.save(f'{d}/rgb_f64_be.npy', (levels(2, 3, 4, 4) / 255).astype('>f8'))
np.save(f'{d}/nhwc.npy', levels(2, 6, 6, 3).astype(np.uint8))
np.save(f'{d}/points.npy', np.zeros((10, 2), np.float32))
np.save(f'{d}/five_d.npy', np.zeros((1, 1, 1, 1, 1), np.uint8))
np.save(f'{d}/bytes255.npy', levels(2, 4, 4).astype(np.float32))
np.save(f'{d}/int16.npy', levels(2, 4, 4).astype(np.int16))
`;

function rejects(path: string, ...patterns: RegExp[]): void {
  assert.throws(() => readNpyImages(path), (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    assert.ok(e.message.startsWith(path), 'names the file');
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe('NPY images', () => {
  before(() => {
    const r = spawnSync('python3', ['-c', WRITER, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`python3 with numpy writes these test files and failed (${r.stderr.trim().split('\n').pop()}); install it: python3 -m pip install numpy`);
  });
  const levels = (count: number) => Uint8Array.from({ length: count }, (_, k) => (3 * k) % 256);

  test('uint8 [N, H, W] is gray [N, 1, H, W], pixels as saved', () => {
    const ds = readNpyImages(file('gray_u8.npy'));
    assert.deepEqual([ds.n, ds.c, ds.h, ds.w], [5, 1, 8, 6]);
    assert.deepEqual(ds.pixels, levels(240));
  });

  test('float32 and big-endian float64 [N, 3, H, W] in [0, 1] give back the levels k = round(255 v)', () => {
    const rgb = readNpyImages(file('rgb_f32.npy'));
    assert.deepEqual([rgb.n, rgb.c, rgb.h, rgb.w], [4, 3, 6, 7]);
    assert.deepEqual(rgb.pixels, levels(4 * 3 * 6 * 7));
    assert.deepEqual(readNpyImages(file('rgb_f64_be.npy')).pixels, levels(96));
  });

  test('wrong ranks, channels last, 0..255 floats and other dtypes are one-line errors with the fix', () => {
    rejects(file('points.npy'), /shape \(10, 2\), 2-D; image NPY files are \[N, H, W\] \(gray\) or \[N, C, H, W\] with C = 1 or 3/);
    rejects(file('five_d.npy'), /5-D/);
    rejects(file('nhwc.npy'), /channels last/, /np\.transpose\(a, \(0, 3, 1, 2\)\)/);
    rejects(file('bytes255.npy'), /value 3 at image 1 is outside \[0, 1\]; it looks like 0\.\.255/);
    rejects(file('int16.npy'), /dtype '<i2' is not supported for images/);
  });

  test('2-D point files still read as before through readNpy', () => {
    const t = readNpy(file('points.npy'));
    assert.deepEqual([t.n, t.d], [10, 2]);
    assert.throws(() => readNpy(file('gray_u8.npy')), /dtype uint8 \('\|u1'\) is not supported/);
    assert.ok(readFileSync(file('gray_u8.npy')).length > 240);
  });
});
