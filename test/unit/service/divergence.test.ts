import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIVERGENCE_FACTOR, DIVERGENCE_WINDOW, DivergenceWatch, divergenceReason } from '../../../src-main/service/divergence.js';

function noisy(n: number, level: number, seed = 1): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return level * (0.5 + s / 2 ** 31);
  });
}

describe('a diverging loss is told from a noisy one', () => {
  test('a falling, noisy loss never trips the rule, even with a spike of one batch', () => {
    const w = new DivergenceWatch();
    const losses = [...noisy(200, 2), ...noisy(300, 0.5)];
    losses[250] = 0.5 * DIVERGENCE_FACTOR * 5; // one bad batch: 5x the threshold, but a twentieth of a window
    assert.equal(w.push(losses, 0), null);
  });

  test('a loss that rises a hundredfold over its early level is caught at the end of the first such window', () => {
    const w = new DivergenceWatch();
    assert.equal(w.push(noisy(100, 1), 0), null);
    const d = w.push(Array(DIVERGENCE_WINDOW * 2).fill(1e6), 100);
    assert.ok(d);
    assert.ok(d.step >= 100 && d.step < 100 + DIVERGENCE_WINDOW, `caught at ${d.step}`);
    assert.match(divergenceReason(d), /lower the learning rate \(train\.lr\) or enable gradient clipping \(train\.clipNorm/);
  });

  test('a blow-up in the very first steps is measured against the untrained loss', () => {
    const w = new DivergenceWatch();
    const d = w.push([2, ...Array(DIVERGENCE_WINDOW).fill(5e4)], 0);
    assert.equal(d?.reference, 2);
  });

  test('chunks of any size give the same verdict as one push', () => {
    const losses = [...noisy(60, 1), ...Array(60).fill(500)];
    const whole = new DivergenceWatch().push(losses, 0);
    const w = new DivergenceWatch();
    let found = null;
    for (let i = 0; i < losses.length && !found; i += 7) found = w.push(losses.slice(i, i + 7), i);
    assert.deepEqual(found, whole);
  });
});
