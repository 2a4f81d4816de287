import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { layerSizes, macsPerSample, trainFlopsPerStep, trainStepMatmuls } from '../../../../bench/lib/mlpShapes.mjs';
import { DEFAULT_NET } from '../../../../src-main/api/config.js';
import { forwardFlopsPerSample, layerSizes as engineLayerSizes } from '../../../../src-main/engine/nets/mlp.js';

describe('the benchmark FLOP count', () => {
  test('the default net is [11, 256, 256, 256, 2], as the engine builds it', () => {
    assert.deepEqual(layerSizes(), [11, 256, 256, 256, 2]);
    assert.deepEqual(layerSizes(), engineLayerSizes({ ...DEFAULT_NET, dim: 2 }));
  });

  test('one training step counts 6 * batch * sum(in * out) FLOPs, three times the forward pass', () => {
    assert.equal(macsPerSample(), 11 * 256 + 256 * 256 * 2 + 256 * 2);
    assert.equal(trainFlopsPerStep(1024), 6 * 1024 * 134400);
    assert.equal(trainFlopsPerStep(1024), 3 * 1024 * forwardFlopsPerSample({ ...DEFAULT_NET, dim: 2 }));
  });

  test("a step's products are the forward, the input gradients but the first layer's, and the weight gradients", () => {
    const products = trainStepMatmuls(8);
    assert.equal(products.length, 4 + 3 + 4);
    assert.deepEqual(products.slice(0, 2), [[8, 11, 256], [11, 8, 256]]);
    const flops = products.reduce((s, [m, k, n]) => s + 2 * m * k * n, 0);
    // Only the first layer's input gradient (2 * 8 * 256 * 11 FLOPs) is left out of the 6x count.
    assert.equal(flops, trainFlopsPerStep(8) - 2 * 8 * 256 * 11);
  });
});
