import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkConfig, DEFAULT_INTERPOLANT, defaultConfig, fieldDefault, fieldHelp, IMAGE_INTERPOLANT, IMAGE_TRAIN_DEFAULTS, parseConfig, recordedConfig, unetLevelsProblem,
} from '../../../src-main/api/config.js';
import { IMAGE_SAMPLER } from '../../../src-main/api/schemas.js';
import { withImageDefaults } from '../../../src-main/service/imageRunData.js';

const issues = (input: unknown) => {
  const r = checkConfig(input);
  return r.ok ? [] : r.issues.map((i) => i.message);
};

test("a net without a kind is an MLP, so configs recorded before kinds load unchanged", () => {
  const old = { dataset: 'checkerboard', net: { width: 64, depth: 2, activation: 'tanh', timeFrequencies: 2 }, train: { seed: 1, lr: 1e-3 } };
  const c = recordedConfig(old);
  assert.deepEqual(c.net, { kind: 'mlp', width: 64, depth: 2, activation: 'tanh', timeFrequencies: 2 });
  assert.equal(parseConfig({ dataset: 'moons', train: { seed: 0 } }).net.kind, 'mlp');
});

test("net.kind 'unet' takes its own fields with defaults, ranges and help", () => {
  const c = parseConfig({ dataset: 'mnist', net: { kind: 'unet', channelMults: [1, 2] }, train: { seed: 0 } });
  assert.equal(c.net.kind, 'unet');
  if (c.net.kind !== 'unet') return;
  assert.deepEqual(c.net.channelMults, [1, 2]);
  assert.equal(c.net.attention, false);
  assert.ok(fieldHelp('net.channelMults').includes('halves the image'));
  assert.ok(fieldHelp('net.width').length > 0);
  assert.equal(fieldDefault('net.baseChannels'), c.net.baseChannels);
  assert.deepEqual(issues({ dataset: 'mnist', net: { kind: 'unet', baseChannels: 0 }, train: { seed: 0 } }), ['net.baseChannels must be a whole number from 1 to 512, got 0']);
  assert.deepEqual(issues({ dataset: 'mnist', net: { kind: 'unet', channelMults: [] }, train: { seed: 0 } }), ['net.channelMults must name at least one level, got []']);
  assert.deepEqual(issues({ dataset: 'mnist', net: { kind: 'transformer' }, train: { seed: 0 } }), ["net.kind must be one of mlp, unet, got 'transformer'"]);
});

test('a U-Net on points, or with levels that do not divide MNIST, is refused at its field in one line', () => {
  assert.deepEqual(
    issues({ dataset: 'checkerboard', net: { kind: 'unet' }, train: { seed: 0 } }).map((m) => m.split(' ')[0]),
    ['net.kind'],
  );
  const [m] = issues({ dataset: 'mnist', net: { kind: 'unet', channelMults: [1, 2, 2, 2] }, train: { seed: 0 } });
  assert.match(m, /^net\.channelMults has 4 levels, .* divisible by 8; 28 x 28 is not/);
  assert.ok(!m.includes('\n'));
  assert.equal(unetLevelsProblem(3, 28, 28), null);
  assert.match(unetLevelsProblem(2, 9, 8)!, /divisible by 2; 9 x 8/);
});

test('an MLP on images is allowed (it flattens them); image datasets default to a U-Net and image training settings', () => {
  assert.ok(checkConfig({ dataset: 'mnist', net: { kind: 'mlp' }, train: { seed: 0 } }).ok);
  const c = defaultConfig('mnist', 3);
  assert.equal(c.net.kind, 'unet');
  assert.ok(c.train.batch < defaultConfig('checkerboard', 3).train.batch);
  assert.equal(defaultConfig('checkerboard', 3).net.kind, 'mlp');
  // images train the linear interpolant at uniform t; points keep trig at late t
  assert.deepEqual([c.interpolant, c.train.timeSampling], [IMAGE_INTERPOLANT, 'uniform']);
  assert.deepEqual([defaultConfig('checkerboard', 3).interpolant, defaultConfig('checkerboard', 3).train.timeSampling], [DEFAULT_INTERPOLANT, 'late']);
  const filled = parseConfig(withImageDefaults({ dataset: 'mnist', train: { seed: 0 } }));
  assert.deepEqual([filled.net.kind, filled.interpolant, filled.train.steps, filled.train.timeSampling], ['unet', 'linear', IMAGE_TRAIN_DEFAULTS.steps, 'uniform']);
  const chosen = parseConfig(withImageDefaults({ dataset: 'mnist', interpolant: 'vp', train: { seed: 0, timeSampling: 'late' } }));
  assert.deepEqual([chosen.interpolant, chosen.train.timeSampling], ['vp', 'late'], 'fields the caller gives stay');
  assert.equal(parseConfig(withImageDefaults({ dataset: 'moons', train: { seed: 0 } })).interpolant, DEFAULT_INTERPOLANT);
  assert.deepEqual(parseConfig({ dataset: 'pics', images: { size: 16, color: 'gray' }, train: { seed: 0 } }).images, { size: 16, color: 'gray', sdeEps: IMAGE_SAMPLER.sdeEps });
  assert.equal(parseConfig({ dataset: 'mnist', images: { sdeEps: 0 }, train: { seed: 0 } }).images.sdeEps, 0, 'eps 0: the ODE by em');
  assert.deepEqual(issues({ dataset: 'pics', images: { color: 'sepia' }, train: { seed: 0 } }), ["images.color must be one of gray, rgb, got 'sepia'"]);
  assert.deepEqual(issues({ dataset: 'mnist', images: { sdeEps: -0.5 }, train: { seed: 0 } }), ['images.sdeEps must lie in [0, 10], got -0.5']);
});
