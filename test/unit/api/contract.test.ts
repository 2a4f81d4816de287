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

  test('base noise, encode/decode and noise-to-image frames have bounded arguments, refused at their paths', () => {
    const slerp = { runId: 'r', n: 8, solver: 'rk4', noise: { kind: 'slerp', seeds: [0, 5] } };
    assert.equal(validateCall('sample.run', slerp).method, 'sample.run');
    assert.throws(() => validateCall('sample.run', { ...slerp, n: 65 }), /args.n: an interpolated row holds at most 64 points/);
    assert.throws(() => validateCall('sample.run', { ...slerp, noise: { kind: 'slerp', seeds: [0, -1] } }), /args.noise.seeds.1/);
    assert.throws(() => validateCall('sample.run', { ...slerp, noise: { kind: 'slerp', seeds: [0] } }), /args.noise.seeds/);
    assert.throws(() => validateCall('sample.run', { ...slerp, noise: { kind: 'values', values: new Float32Array(4_194_305) } }), /args.noise.values: at most 4194304 values/);
    assert.throws(() => validateCall('sample.run', { ...slerp, noise: { kind: 'gauss' } }), /args.noise/);
    assert.equal(validateCall('sample.cycle', { runId: 'r', indices: [0, 3], solver: 'rk4', steps: 8 }).method, 'sample.cycle');
    assert.throws(() => validateCall('sample.cycle', { runId: 'r', indices: [], solver: 'rk4' }), /args.indices/);
    assert.throws(() => validateCall('sample.cycle', { runId: 'r', indices: Array(33).fill(0), solver: 'rk4' }), /args.indices/);
    assert.throws(() => validateCall('sample.cycle', { runId: 'r', indices: [1.5], solver: 'rk4' }), /args.indices.0/);
    assert.equal(validateCall('sample.frames', { runId: 'r', n: 8, solver: 'rk4', frames: 21 }).method, 'sample.frames');
    assert.throws(() => validateCall('sample.frames', { runId: 'r', n: 17, solver: 'rk4', frames: 21 }), /args.n/);
    assert.throws(() => validateCall('sample.frames', { runId: 'r', n: 8, solver: 'rk4', frames: 1 }), /args.frames/);
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
