import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { UserError } from '../../../../../src-main/errors.js';
import { toUnitScale } from '../../../../../src-main/engine/data/images/dequantize.js';
import { encodeImageGrid, writeImageGrid, writeImagesNpy } from '../../../../../src-main/engine/data/images/imageOutput.js';
import { readNpyImages } from '../../../../../src-main/engine/data/images/npyImages.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-imgout-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** n RGB h x w images; image i is solid (i/n, 0.5, 1 - i/n) except pixel (0, 0), which is black. */
function solids(n: number, h: number, w: number): Float32Array {
  const x = new Float32Array(n * 3 * h * w);
  for (let i = 0; i < n; i++) {
    [i / n, 0.5, 1 - i / n].forEach((v, ch) => x.fill(v, (i * 3 + ch) * h * w, (i * 3 + ch + 1) * h * w));
    for (let ch = 0; ch < 3; ch++) x[(i * 3 + ch) * h * w] = 0;
  }
  return x;
}

describe('image output', () => {
  test('a PNG grid of 10 RGB 5 x 4 images, 4 columns, 2 px gaps, decodes to the right size and pixels', async () => {
    const path = join(dir, 'grid.png');
    await writeImageGrid(path, solids(10, 5, 4), [10, 3, 5, 4], { columns: 4, gap: 2 });
    const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    // 4 columns x 4 px + 3 gaps x 2 = 22 wide; 3 rows x 5 px + 2 gaps x 2 = 19 high.
    assert.deepEqual([info.width, info.height, info.channels], [22, 19, 3]);
    const px = (x: number, y: number) => Array.from(data.subarray(3 * (y * 22 + x), 3 * (y * 22 + x) + 3));
    // Image 6 sits in row 1, column 2: its top-left corner at (12, 7) is black, the rest its colour.
    assert.deepEqual(px(12, 7), [0, 0, 0]);
    assert.deepEqual(px(13, 8), [Math.round(255 * 0.6), 128, Math.round(255 * 0.4)]);
    assert.deepEqual(px(4, 0), [255, 255, 255], 'a gap pixel');
    assert.deepEqual(px(21, 18), [255, 255, 255], 'the empty cells of the last row are background');
  });

  test('gray grids have one channel; the default grid is near-square; samples in [-1, 1] go through toUnitScale', async () => {
    const x = Float32Array.from({ length: 9 * 16 }, (_, k) => (k % 16 === 5 ? 1 : -1));
    const png = await encodeImageGrid(toUnitScale(x), [9, 1, 4, 4], { gap: 1, gapValue: 0.5 });
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels, meta.space], [14, 14, 1, 'b-w'], 'a one-channel PNG');
    const { data } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    assert.equal(data[1 * 14 + 1], 255, 'pixel 5 of image 0 is (1, 1)');
    assert.equal(data[0], 0);
    assert.equal(data[4], 128, 'a gap at half gray');
    await assert.rejects(encodeImageGrid(x, [9, 2, 4, 4]), UserError);
  });

  test('NPY [n, C, H, W] float32 is what numpy loads, and reads back as the same levels', () => {
    const path = join(dir, 'samples.npy');
    const x = solids(3, 6, 5);
    writeImagesNpy(path, x, [3, 3, 6, 5]);
    const ds = readNpyImages(path);
    assert.deepEqual([ds.n, ds.c, ds.h, ds.w], [3, 3, 6, 5]);
    assert.deepEqual(Array.from(ds.pixels), Array.from(x, (v) => Math.round(255 * v)));
    const r = spawnSync('python3', ['-c', `import numpy as np; a = np.load(${JSON.stringify(path)}); print(a.dtype, a.shape, float(a[2, 0, 1, 1]))`], { encoding: 'utf8' });
    if (r.status === 0) assert.equal(r.stdout.trim(), `float32 (3, 3, 6, 5) ${Math.fround(2 / 3)}`);
    else assert.fail(`python3 with numpy checks the file and failed (${r.stderr.trim().split('\n').pop()}); install it: python3 -m pip install numpy`);
  });
});
