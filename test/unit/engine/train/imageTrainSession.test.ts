import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, type ExperimentConfig } from '../../../../src-main/api/config.js';
import type { ImageDataset } from '../../../../src-main/engine/data/images/index.js';
import { getInterpolant } from '../../../../src-main/engine/interpolants/schedules.js';
import { netSpecFor } from '../../../../src-main/engine/nets/velocityNet.js';
import { Rng } from '../../../../src-main/engine/random.js';
import { batchRows, ImageTrainSession, initialImageState } from '../../../../src-main/engine/train/imageTrainSession.js';

/** 24 images 1 x 8 x 8: a bright square at a random place on a dark ground. */
function squares(): ImageDataset {
  const r = new Rng(5);
  const n = 24;
  const pixels = new Uint8Array(n * 64);
  for (let i = 0; i < n; i++) {
    const [y, x] = [Math.floor(r.uniform() * 5), Math.floor(r.uniform() * 5)];
    for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) pixels[i * 64 + (y + dy) * 8 + x + dx] = 230;
  }
  return { name: 'squares', source: 'test', pixels, n, c: 1, h: 8, w: 8 };
}

function config(interpolant: ExperimentConfig['interpolant'] = 'linear'): ExperimentConfig {
  const c = defaultConfig('squares', 7, true);
  c.net = { kind: 'unet', baseChannels: 8, channelMults: [1, 2], blocksPerLevel: 1, attention: true, timeFrequencies: 2 };
  c.interpolant = interpolant;
  Object.assign(c.train, { steps: 100, batch: 6, lr: 2e-3, warmupSteps: 2 });
  return c;
}

async function session(c: ExperimentConfig, stepsPerCall = 1) {
  const net = netSpecFor(c.net, [1, 8, 8]);
  return ImageTrainSession.create({ config: c, net, interpolant: getInterpolant(c.interpolant), images: squares(), state: initialImageState(net, c.train.seed), backend: 'cpu', threads: 1, stepsPerCall });
}

test('an image run is bit-reproducible, whether its steps go one or two per call', async () => {
  const a = await session(config());
  const la = Array.from((await a.advance(6)).losses);
  const b = await session(config(), 2);
  const lb = Array.from((await b.advance(6)).losses);
  assert.deepEqual(lb, la);
  assert.deepEqual(b.state.params, a.state.params);
  assert.deepEqual(b.state.ema, a.state.ema);
  assert.ok(la.every(Number.isFinite));
  await a.release();
  await b.release();
});

test('a tiny U-Net learns: the per-pixel loss falls over 40 steps (stochastic interpolant too)', async () => {
  for (const interp of ['linear', 'stochastic'] as const) {
    const s = await session(config(interp));
    const l = Array.from((await s.advance(40)).losses);
    const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
    assert.ok(mean(l.slice(-10)) < 0.8 * mean(l.slice(0, 10)), `${interp}: ${mean(l.slice(0, 10))} -> ${mean(l.slice(-10))}`);
    await s.release();
  }
});

test('batch rows depend on (seed, step) alone and cover the dataset', () => {
  assert.deepEqual(batchRows(1, 5, 32, 24), batchRows(1, 5, 32, 24));
  assert.notDeepEqual(batchRows(1, 5, 32, 24), batchRows(1, 6, 32, 24));
  const seen = new Set<number>();
  for (let s = 0; s < 20; s++) for (const r of batchRows(1, s, 32, 24)) seen.add(r);
  assert.equal(seen.size, 24);
  assert.ok(Math.max(...seen) === 23 && Math.min(...seen) === 0);
});
