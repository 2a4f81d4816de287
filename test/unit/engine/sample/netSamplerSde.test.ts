import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encdec, trig } from '../../../../src-main/engine/interpolants/schedules.js';
import { initParams, type MlpSpec } from '../../../../src-main/engine/nets/mlp.js';
import { NetSampler } from '../../../../src-main/engine/sample/netSampler.js';
import { normalPoints } from './gaussianFixture.js';

const net: MlpSpec = { kind: 'mlp', dim: 2, width: 16, depth: 2, activation: 'silu', timeFrequencies: 2 };

test('a net sampler runs the SDE samplers: eps = 0 gives the ODE solver\'s samples, a seed its sample set', async () => {
  const sampler = new NetSampler(net, initParams(net, 3), 'cpu', 1);
  const n = 200;
  const x0 = Float32Array.from(normalPoints(n, 2, 1));
  const base = { t0: 0, t1: 1, steps: 10 };
  const ode = await sampler.solve(x0, n, { ...base, solver: 'heun' });
  const sde0 = await sampler.solve(x0, n, { ...base, solver: 'sde-heun', sde: { eps: 0, interpolant: trig, seed: 5 } });
  assert.deepEqual(sde0.x, ode.x);
  assert.equal(sde0.nfe, 20);
  const a = await sampler.solve(x0, n, { ...base, solver: 'em', sde: { eps: 0.5, interpolant: trig, seed: 5 } });
  const b = await sampler.solve(x0, n, { ...base, solver: 'em', sde: { eps: 0.5, interpolant: trig, seed: 5 } });
  assert.deepEqual(a.x, b.x);
  assert.notDeepEqual(a.x, ode.x);
  await assert.rejects(sampler.solve(x0, n, { ...base, solver: 'em' }), /needs its eps/);
  await assert.rejects(sampler.solve(x0, n, { ...base, solver: 'em', sde: { eps: 0.5, interpolant: encdec, seed: 5 } }), /does not determine the score/);
  await sampler.release();
});
