import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { drawPoints, histogram2d, paintDensity, rgba, toPixel, windowOf } from '../../../src-renderer/lib/charts/scatter.js';
import { arrowSegments, gridPoints, ARROW_CELL_FRACTION } from '../../../src-renderer/lib/charts/arrows.js';

describe('scatter plot rasterising', () => {
  test('the window is square and holds every point with a margin', () => {
    const w = windowOf([{ data: new Float32Array([0, 0, 4, 1]), n: 2, d: 2 }]);
    assert.ok(Math.abs((w.xMax - w.xMin) - (w.yMax - w.yMin)) < 1e-9);
    assert.ok(w.xMin < 0 && w.xMax > 4 && w.yMin < 0 && w.yMax > 1);
  });

  test('an empty cloud gets the toys\' default window', () => {
    assert.deepEqual(windowOf([{ data: new Float32Array(0), n: 0, d: 2 }]), { xMin: -4, xMax: 4, yMin: -4, yMax: 4 });
  });

  test('points land on the right pixels: y grows upward', () => {
    const w = { xMin: 0, xMax: 10, yMin: 0, yMax: 10 };
    const px = new Uint32Array(100);
    const color = rgba(255, 0, 0);
    const drawn = drawPoints(px, 10, 10, w, new Float32Array([0.5, 9.5, 9.5, 0.5, 20, 20]), 3, 2, color, 1);
    assert.equal(drawn, 2, 'the point outside the window is skipped');
    assert.equal(px[0 * 10 + 0], color, 'top-left');
    assert.equal(px[9 * 10 + 9], color, 'bottom-right');
    assert.deepEqual(toPixel(w, 10, 10, 0.5, 9.5), [0, 0]);
  });

  test('rgba packs bytes for a little-endian RGBA buffer', () => {
    const px = new Uint32Array([rgba(1, 2, 3, 4)]);
    assert.deepEqual([...new Uint8Array(px.buffer)], [1, 2, 3, 4]);
  });

  test('100k points rasterise into the buffer (every in-window point is drawn)', () => {
    const n = 100_000;
    const data = new Float32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) data[i] = Math.sin(i * 12.9898) * 3;
    const px = new Uint32Array(400 * 400);
    const drawn = drawPoints(px, 400, 400, windowOf([{ data, n, d: 2 }]), data, n, 2, rgba(0, 0, 255), 1);
    assert.equal(drawn, n);
  });

  test('the density histogram counts each point once, and the heat map marks only occupied cells', () => {
    const w = { xMin: 0, xMax: 2, yMin: 0, yMax: 2 };
    const counts = histogram2d(new Float32Array([0.5, 1.5, 0.5, 1.5, 1.5, 0.5]), 3, 2, w, 2, 2);
    assert.deepEqual([...counts], [2, 0, 0, 1]);
    const px = new Uint32Array(4);
    paintDensity(px, 2, 2, counts, 2, 2, [255, 0, 0]);
    assert.equal(px[1], 0);
    assert.equal(px[2], 0);
    assert.ok(px[0] >>> 24 > px[3] >>> 24, 'the denser cell is more opaque');
  });
});

describe('velocity arrows', () => {
  test('the grid holds k*k cell centres inside the window', () => {
    const g = gridPoints({ xMin: 0, xMax: 4, yMin: 0, yMax: 4 }, 2);
    assert.deepEqual([...g], [1, 1, 3, 1, 1, 3, 3, 3]);
  });

  test('the longest arrow spans the chosen fraction of a cell and directions are kept', () => {
    const pts = new Float32Array([0, 0, 1, 1]);
    const v = new Float32Array([2, 0, 0, -1]);
    const seg = arrowSegments(pts, v, 2, 0.5);
    assert.ok(Math.abs(seg[2] - ARROW_CELL_FRACTION * 0.5) < 1e-6);
    assert.equal(seg[3], 0);
    assert.ok(Math.abs(seg[7] - (1 - ARROW_CELL_FRACTION * 0.25)) < 1e-6);
  });
});
