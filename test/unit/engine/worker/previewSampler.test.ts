import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../src-main/engine/config.js';
import { paramLayout } from '../../../../src-main/engine/nets/mlp.js';
import { dimFromParamCount } from '../../../../src-main/engine/worker/previewSampler.js';

test('the data dimension is recovered from the velocity net\'s parameter count', () => {
  const config = defaultConfig('moons', 0);
  config.net = { width: 48, depth: 3, activation: 'silu', timeFrequencies: 4 };
  for (const dim of [1, 2, 7, 784]) {
    assert.equal(dimFromParamCount(config, paramLayout({ dim, ...config.net }).total), dim);
  }
  assert.equal(dimFromParamCount(config, 12345), null);
});
