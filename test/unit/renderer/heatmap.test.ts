import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { heatColor, heatRgba, legendRgba, maxOf } from '../../../src-renderer/lib/heatmap.js';

// Node has no ImageData: the same shape as the browser's, enough for these pure functions.
(globalThis as { ImageData?: unknown }).ImageData ??= class {
  readonly data: Uint8ClampedArray;
  constructor(readonly width: number, readonly height: number) {
    this.data = new Uint8ClampedArray(width * height * 4);
  }
};

function luminance([r, g, b]: [number, number, number]): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('the heat map colour scale', () => {
  test('runs from viridis dark purple at 0 to yellow at 1, clamped outside, brighter as the value grows', () => {
    assert.deepEqual(heatColor(0), [68, 1, 84]);
    assert.deepEqual(heatColor(1), [253, 231, 37]);
    assert.deepEqual(heatColor(-3), heatColor(0));
    assert.deepEqual(heatColor(7), heatColor(1));
    assert.deepEqual(heatColor(Number.NaN), heatColor(0));
    let last = -1;
    for (let u = 0; u <= 1.0001; u += 0.05) {
      const l = luminance(heatColor(u));
      assert.ok(l > last, `luminance at ${u}`);
      last = l;
    }
  });

  test('a map puts each value at its pixel, scaled by vmax, with gaps between images', () => {
    // two 2 x 2 maps: the first all 0, the second 0, 1, 2, 4 with vmax 4
    const v = Float32Array.of(0, 0, 0, 0, 0, 1, 2, 4);
    assert.equal(maxOf([v.subarray(0, 4), v.subarray(4)]), 4);
    const img = heatRgba(v, 2, 2, 2, 4, 2, 1, 1);
    assert.equal(img.width, 5);
    assert.equal(img.height, 2);
    const px = (x: number, y: number) => [...img.data.subarray((y * 5 + x) * 4, (y * 5 + x) * 4 + 3)];
    assert.deepEqual(px(0, 0), heatColor(0));
    assert.deepEqual(px(2, 0), [255, 255, 255]);
    assert.deepEqual(px(4, 0), heatColor(0.25));
    assert.deepEqual(px(3, 1), heatColor(0.5));
    assert.deepEqual(px(4, 1), heatColor(1));
  });

  test('the legend bar runs from the colour of 0 to that of vmax', () => {
    const bar = legendRgba(101, 3);
    assert.deepEqual([...bar.data.subarray(0, 3)], heatColor(0));
    assert.deepEqual([...bar.data.subarray(100 * 4, 100 * 4 + 3)], heatColor(1));
    assert.deepEqual([...bar.data.subarray((2 * 101 + 50) * 4, (2 * 101 + 50) * 4 + 3)], heatColor(0.5));
  });
});
