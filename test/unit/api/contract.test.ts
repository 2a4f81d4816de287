import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, parseConfig } from '../../../src-main/api/config.js';
import { UserError } from '../../../src-main/errors.js';
import { METHOD_NAMES } from '../../../src-main/api/contract.js';
import { ContractError, errorBody, validateCall, validateEvent, validateResult } from '../../../src-main/api/validate.js';

describe('the API contract', () => {
  test('names every method the app needs', () => {
    for (const m of ['runs.list', 'runs.get', 'runs.delete', 'train.start', 'train.pause', 'train.stop', 'sample.run', 'export.run', 'datasets.import', 'evaluate.run', 'settings.set']) {
      assert.ok(METHOD_NAMES.includes(m as never), m);
    }
  });

  test('an unknown method is refused', () => {
    assert.throws(() => validateCall('runs.drop', {}), (e: unknown) => e instanceof ContractError && /unknown method 'runs.drop'/.test((e as Error).message));
  });

  test('arguments of the wrong shape are refused with the path of the problem', () => {
    assert.throws(() => validateCall('runs.get', { runId: 5 }), /runs.get: args.runId/);
    assert.throws(() => validateCall('runs.get', { runId: 'r', extra: 1 }), /runs.get/);
    assert.throws(() => validateCall('sample.run', { runId: 'r', n: 0, solver: 'rk4' }), /args.n/);
    assert.throws(() => validateCall('sample.run', { runId: 'r', n: 10, solver: 'leapfrog' }), /args.solver/);
    assert.throws(() => validateCall('sample.velocity', { runId: 'r', t: 0.5, points: [1, 2], n: 1 }), /Float32Array/);
  });

  test('train.start carries a config object; its fields are the config schema\'s to check, at their paths', () => {
    const config = defaultConfig('moons', 1);
    assert.equal(validateCall('train.start', { config }).method, 'train.start');
    assert.throws(() => validateCall('train.start', { config: 'moons' }), /args.config: expected an experiment config object/);
    const bad = { ...config, net: { ...config.net, activation: 'relu6' } };
    assert.equal(validateCall('train.start', { config: bad }).method, 'train.start');
    assert.throws(() => parseConfig(bad), { field: 'net.activation', message: "net.activation must be one of silu, tanh, gelu, got 'relu6'" });
  });

  test('results outside the contract are caught before they leave a door', () => {
    assert.deepEqual(validateResult('runs.delete', { ok: true }), { ok: true });
    assert.throws(() => validateResult('runs.delete', { ok: 'yes' }), /outside the contract/);
  });

  test('events are checked too; samples carry a Float32Array', () => {
    const e = validateEvent({ type: 'samples', runId: 'r', step: 1, n: 1, d: 2, data: new Float32Array(2) });
    assert.equal(e.type, 'samples');
    assert.throws(() => validateEvent({ type: 'samples', runId: 'r', step: 1, n: 1, d: 2, data: [0, 0] }));
    assert.throws(() => validateEvent({ type: 'exploded' }));
  });

  test('errors become bodies the client can show: invalid, user or internal', () => {
    assert.equal(errorBody(new ContractError('x')).kind, 'invalid');
    assert.deepEqual(errorBody(new UserError('pick another')), { kind: 'user', message: 'pick another' });
    assert.equal(errorBody(new Error('boom')).kind, 'internal');
  });
});
