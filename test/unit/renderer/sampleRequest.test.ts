import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SAMPLE_FORM, sampleArgs } from '../../../src-renderer/lib/sampleRequest.js';
import { SDE_EPS } from '../../../src-main/api/schemas.js';

test('the export panel sends sdeEps with the SDE samplers only', () => {
  const em = sampleArgs('r', { ...DEFAULT_SAMPLE_FORM, solver: 'em', sdeEps: 0.3 });
  assert.ok('args' in em);
  assert.equal(em.args.sdeEps, 0.3);
  assert.equal(em.args.steps, DEFAULT_SAMPLE_FORM.steps);
  const rk4 = sampleArgs('r', { ...DEFAULT_SAMPLE_FORM, solver: 'rk4', sdeEps: 0.3 });
  assert.ok('args' in rk4);
  assert.equal(rk4.args.sdeEps, undefined);
});

test('an eps out of range or an SDE encode is refused at its field', () => {
  assert.deepEqual(sampleArgs('r', { ...DEFAULT_SAMPLE_FORM, solver: 'sde-heun', sdeEps: -1 }),
    { field: 'sdeEps', message: `Diffusion eps must be a number from ${SDE_EPS.min} to ${SDE_EPS.max} (0 is the ODE)` });
  assert.deepEqual(sampleArgs('r', { ...DEFAULT_SAMPLE_FORM, solver: 'em', direction: 'encode' }),
    { field: 'solver', message: 'The SDE samplers only generate; encode with an ODE solver' });
});
