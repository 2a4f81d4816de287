import { test } from 'node:test';
import assert from 'node:assert/strict';
import { netInitParams, netSpecFor } from '../../../../src-main/engine/nets/velocityNet.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { NetSampler, SOLVERS } from '../../../../src-main/engine/sample/netSampler.js';

/** A tiny U-Net on 1 x 4 x 4 images with seeded weights: a smooth field, so solves are checkable. */
const net = netSpecFor({ kind: 'unet', baseChannels: 4, channelMults: [1, 2], blocksPerLevel: 1, attention: true, timeFrequencies: 2 }, [1, 4, 4]);
const n = 5;
const D = 16;

test('every solver runs on image shapes both ways: generate then encode returns the start (cycle error shrinks with order)', async () => {
  const sampler = new NetSampler(net, netInitParams(net, 3), 'cpu', 1);
  const x0 = new Rng(8).fillNormal(new Float32Array(n * D)) as Float32Array;
  const errors: Record<string, number> = {};
  try {
    for (const solver of SOLVERS) {
      const opts = { solver, steps: 20, rtol: 1e-6, atol: 1e-6 };
      const x1 = await sampler.solve(x0, n, { ...opts, t0: 0, t1: 1 });
      assert.equal(x1.x.length, n * D);
      const back = await sampler.solve(x1.x, n, { ...opts, t0: 1, t1: 0 });
      let moved = 0;
      let err = 0;
      for (let i = 0; i < n * D; i++) {
        moved = Math.max(moved, Math.abs(x1.x[i] - x0[i]));
        err = Math.max(err, Math.abs(back.x[i] - x0[i]));
      }
      assert.ok(moved > 0.05, `${solver}: the flow moves the images (${moved})`);
      errors[solver] = err;
    }
  } finally {
    await sampler.release();
  }
  assert.ok(errors.euler < 0.1, JSON.stringify(errors));
  for (const s of ['heun', 'midpoint', 'rk4', 'dopri5']) assert.ok(errors[s] < errors.euler, JSON.stringify(errors));
  // measured: euler 2e-2, heun and midpoint 1e-4, rk4 3e-6, dopri5 9e-5 (float32 states)
  assert.ok(errors.rk4 < 1e-4 && errors.dopri5 < 1e-3, JSON.stringify(errors));
});

test('the fused solver records image trajectories: one state per step, the last the result', async () => {
  const sampler = new NetSampler(net, netInitParams(net, 3), 'cpu', 1);
  try {
    const x0 = new Rng(9).fillNormal(new Float32Array(n * D)) as Float32Array;
    const r = await sampler.solve(x0, n, { solver: 'heun', steps: 4, t0: 0, t1: 1, snapshots: true });
    assert.equal(r.trajectory!.length, 4);
    assert.deepEqual(r.trajectory![3], r.x);
  } finally {
    await sampler.release();
  }
});
