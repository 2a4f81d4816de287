import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../../../src-main/errors.js';
import { bitsToUniform, hashBits, streamKey } from '../../../../../src-main/engine/random.js';
import {
  DEQUANTIZE_STREAM,
  dequantizeAll,
  dequantizeRows,
  toPixelLevels,
  toUnitScale,
} from '../../../../../src-main/engine/data/images/dequantize.js';
import type { ImageDataset } from '../../../../../src-main/engine/data/images/imageDataset.js';
import { splitImages } from '../../../../../src-main/engine/data/images/imageSplit.js';
import { splitHeldOut } from '../../../../../src-main/engine/data/split.js';

/** n gray 2 x 3 images; image i's pixels are (7 i + j) mod 256, its label i mod 10. */
function tiny(n: number): ImageDataset {
  const pixels = Uint8Array.from({ length: n * 6 }, (_, k) => (7 * Math.floor(k / 6) + (k % 6)) % 256);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return { name: 'tiny', source: 'test', pixels, n, c: 1, h: 2, w: 3, labels };
}

describe('dequantisation x = 2 (k + u)/256 - 1', () => {
  test('each value lies in its pixel bin and u is the generator draw of (seed, step, position)', () => {
    const ds = tiny(50);
    const rows = [3, 0, 49];
    const x = dequantizeRows(ds, rows, { seed: 5, counter: 12 });
    assert.equal(x.length, 18);
    const key = streamKey(5, DEQUANTIZE_STREAM, 12);
    rows.forEach((r, i) => {
      for (let j = 0; j < 6; j++) {
        const k = ds.pixels[r * 6 + j];
        const u = bitsToUniform(hashBits(key, i * 6 + j));
        assert.equal(x[i * 6 + j], Math.fround((2 * (k + u)) / 256 - 1));
        assert.ok(x[i * 6 + j] >= (2 * k) / 256 - 1 && x[i * 6 + j] < (2 * (k + 1)) / 256 - 1);
      }
    });
  });

  test('the same key gives the same values; another step gives other noise', () => {
    const ds = tiny(20);
    const a = dequantizeAll(ds, { seed: 1, counter: 0 });
    assert.deepEqual(dequantizeAll(ds, { seed: 1, counter: 0 }), a);
    const b = dequantizeAll(ds, { seed: 1, counter: 1 });
    assert.notDeepEqual(b, a);
    // The noise is uniform over the bin: mean of u over 120 values near 1/2.
    const meanU = a.reduce((s, v, j) => s + (128 * (v + 1) - ds.pixels[j]), 0) / a.length;
    assert.ok(Math.abs(meanU - 0.5) < 0.1, `mean u ${meanU}`);
  });

  test('pixel levels are recovered exactly; the unit scale is (x + 1)/2 clamped', () => {
    const ds: ImageDataset = { name: 'all', source: 'test', pixels: Uint8Array.from({ length: 256 }, (_, k) => k), n: 1, c: 1, h: 16, w: 16 };
    for (const counter of [0, 1, 2]) {
      const x = dequantizeAll(ds, { seed: 9, counter });
      assert.deepEqual(toPixelLevels(x), ds.pixels);
      assert.ok(x.every((v) => v >= -1 && v < 1));
    }
    assert.deepEqual(Array.from(toUnitScale(Float32Array.of(-1, 0, 1, -3, 2.5, 0.5))), [0, 0.5, 1, 0, 1, 0.75]);
    assert.deepEqual(Array.from(toPixelLevels(Float32Array.of(-1.5, -1, 0, 0.999, 1, 4))), [0, 0, 128, 255, 255, 255]);
  });

  test('an image index out of range is a UserError', () => {
    assert.throws(() => dequantizeRows(tiny(4), [4], { seed: 1, counter: 0 }), (e: unknown) => e instanceof UserError && /outside 0\.\.3/.test(e.message));
  });
});

describe('image train / held-out split', () => {
  test('holds out the same indices as the 2-D split of as many rows, keeping images whole and labelled', () => {
    const ds = tiny(300);
    const { train, test: held } = splitImages(ds, 0.1, 3);
    assert.equal(held.n, 30);
    assert.equal(train.n, 270);
    // The 2-D split of rows holding their index tells which images it holds out.
    const rows = { name: 'r', data: Float32Array.from({ length: 300 }, (_, i) => i), n: 300, d: 1, columns: ['i'], source: 'test' };
    const heldIndex = Array.from(splitHeldOut(rows, 0.1, 3).test.data);
    heldIndex.forEach((idx, r) => {
      assert.deepEqual(held.pixels.subarray(r * 6, r * 6 + 6), ds.pixels.subarray(idx * 6, idx * 6 + 6));
      assert.equal(held.labels?.[r], idx % 10);
    });
    assert.equal(train.pixels.length, 270 * 6);
    assert.equal(train.labels?.length, 270);
  });

  test('a pure function of the seed; too few images or a bad fraction is a UserError', () => {
    assert.deepEqual(splitImages(tiny(40), 0.25, 1).test.pixels, splitImages(tiny(40), 0.25, 1).test.pixels);
    assert.notDeepEqual(splitImages(tiny(40), 0.25, 1).test.pixels, splitImages(tiny(40), 0.25, 2).test.pixels);
    assert.throws(() => splitImages(tiny(1)), /too few to split/);
    assert.throws(() => splitImages(tiny(10), 1), /strictly between 0 and 1/);
  });
});
