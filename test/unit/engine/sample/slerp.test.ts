import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { angleBetween, slerp, slerpRow } from '../../../../src-main/engine/sample/slerp.js';
import { Rng } from '../../../../src-main/engine/random.js';

const D = 784;

function normal(seed: number, d = D): Float32Array {
  return new Rng(seed, 1).fillNormal(new Float32Array(d)) as Float32Array;
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

describe('slerp between two base draws', () => {
  const a = normal(1);
  const b = normal(2);

  test('the endpoints are a and b bit for bit, in a row of k points too', () => {
    assert.deepEqual(slerp(a, b, 0), a);
    assert.deepEqual(slerp(a, b, 1), b);
    const row = slerpRow(a, b, 7);
    assert.equal(row.length, 7 * D);
    assert.deepEqual(row.subarray(0, D), a);
    assert.deepEqual(row.subarray(6 * D), b);
  });

  test('the angle from a grows linearly in s: s θ (and the angle to b is (1 - s) θ)', () => {
    const theta = angleBetween(a, b);
    // two independent draws in 784 dimensions are nearly orthogonal
    assert.ok(Math.abs(theta - Math.PI / 2) < 0.15, `θ = ${theta}`);
    for (const s of [0.1, 0.25, 0.5, 0.8, 0.95]) {
      const x = slerp(a, b, s);
      assert.ok(Math.abs(angleBetween(a, x) - s * theta) < 1e-5, `s = ${s}: ${angleBetween(a, x)} vs ${s * theta}`);
      assert.ok(Math.abs(angleBetween(x, b) - (1 - s) * theta) < 1e-5);
    }
  });

  test('the norm runs linearly from |a| to |b| (the Gaussian shell), where a straight line sinks to about |a| / sqrt(2)', () => {
    const na = norm(a), nb = norm(b);
    for (const s of [0.2, 0.5, 0.7]) {
      assert.ok(Math.abs(norm(slerp(a, b, s)) - ((1 - s) * na + s * nb)) < 1e-3 * na);
    }
    const mid = a.map((v, i) => (v + b[i]) / 2);
    assert.ok(Math.abs(norm(mid) / na - Math.SQRT1_2) < 0.05, `straight-line midpoint ${norm(mid) / na}`);
    // unequal norms: still linear
    const b3 = b.map((v) => 3 * v);
    assert.ok(Math.abs(norm(slerp(a, b3, 0.5)) - (na + 3 * nb) / 2) < 1e-3 * na);
  });

  test('in the plane: rotating e1 towards e2 by s · 90 degrees (closed form)', () => {
    const e1 = Float32Array.of(1, 0), e2 = Float32Array.of(0, 1);
    for (const s of [0.25, 0.5, 0.75]) {
      const x = slerp(e1, e2, s);
      assert.ok(Math.abs(x[0] - Math.cos((s * Math.PI) / 2)) < 1e-7);
      assert.ok(Math.abs(x[1] - Math.sin((s * Math.PI) / 2)) < 1e-7);
    }
  });

  test('parallel draws give the scaled direction; opposite ones are refused', () => {
    const a2 = Float32Array.of(1, 2, 2);
    assert.deepEqual([...slerp(a2, a2.map((v) => 2 * v), 0.5)].map((v) => +v.toFixed(5)), [1.5, 3, 3]);
    assert.throws(() => slerp(a2, a2.map((v) => -v), 0.5), /opposite directions/);
    assert.throws(() => slerpRow(a, b, 1), /at least 2/);
  });
});
