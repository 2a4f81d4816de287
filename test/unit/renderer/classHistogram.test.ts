import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classBars, histogramSummary } from '../../../src-renderer/lib/classHistogram.js';
import { isImageConfig } from '../../../src-renderer/lib/images.js';
import { shapeOrReason } from '../../../src-renderer/lib/galleryExport.js';

test('each class bar carries its share and the binomial standard error sqrt(p (1 - p) / n)', () => {
  const bars = classBars([0.5, 0.25, 0.25, 0], 100);
  assert.deepEqual(bars.map((b) => b.label), ['0', '1', '2', '3']);
  assert.equal(bars[0].se, 0.05);
  assert.ok(Math.abs(bars[1].se - Math.sqrt(0.25 * 0.75 / 100)) < 1e-15);
  assert.equal(bars[3].se, 0);
});

test('the screen-reader summary names the commonest and rarest class against the uniform share', () => {
  const text = histogramSummary(classBars([0.1, 0.3, 0.05, 0.55], 40));
  assert.equal(text, 'Most common: 3 (55.0%); rarest: 2 (5.0%); uniform would be 25.0% each.');
});

test('image runs are told by their net or MNIST; square rows are images, others get a reason', () => {
  assert.equal(isImageConfig({ net: { kind: 'unet' }, dataset: './pics' }), true);
  assert.equal(isImageConfig({ net: { kind: 'mlp' }, dataset: ' MNIST ' }), true);
  assert.equal(isImageConfig({ net: { kind: 'mlp' }, dataset: 'checkerboard' }), false);
  assert.deepEqual(shapeOrReason({ data: new Float32Array(0), n: 0, d: 784 }), [1, 28, 28]);
  assert.deepEqual(shapeOrReason({ data: new Float32Array(0), n: 0, d: 3 * 64 }), [3, 8, 8]);
  assert.match(shapeOrReason({ data: new Float32Array(0), n: 0, d: 2 }) as string, /^samples of 2 values are not square images/);
});
