import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, type ExperimentConfig } from '../../../../src-main/api/config.js';
import type { ImageDataset } from '../../../../src-main/engine/data/images/index.js';
import { getInterpolant } from '../../../../src-main/engine/interpolants/schedules.js';
import { netSpecFor } from '../../../../src-main/engine/nets/velocityNet.js';
import { coefficientsAt } from '../../../../src-main/engine/interpolants/schedules.js';
import { dequantizeRows } from '../../../../src-main/engine/data/images/index.js';
import { bitsToUniform, hashBits, Rng, streamKey } from '../../../../src-main/engine/random.js';
import { TRAIN_STREAM } from '../../../../src-main/engine/train/stepInputs.js';
import { imageRandomLayout } from '../../../../src-main/engine/train/imageTrainProgram.js';
import { batchRows, ImageTrainSession, initialImageState } from '../../../../src-main/engine/train/imageTrainSession.js';
import { referenceVelocity } from '../../../helpers/referenceMlp.js';

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

test('the reported loss is the mean over batch and pixels of (v(t, x_t) - dI/dt)^2, t broadcast over the pixels, recomputed in TypeScript', async () => {
  const c = config('trig');
  c.net = { kind: 'mlp', width: 16, depth: 2, activation: 'silu', timeFrequencies: 2 };
  c.train.timeSampling = 'uniform';
  const images = squares();
  const net = netSpecFor(c.net, [1, 8, 8]);
  const s = await ImageTrainSession.create({ config: c, net, interpolant: getInterpolant('trig'), images, state: initialImageState(net, 1), backend: 'cpu', threads: 1 });
  const params = s.state.params.slice();
  const loss = (await s.advance(1)).losses[0];
  await s.release();
  const [B, D] = [c.train.batch, 64];
  const key = streamKey(c.train.seed, TRAIN_STREAM, 0);
  const layout = imageRandomLayout({ net, interpolant: getInterpolant('trig'), batch: B, optim: c.train, timeSampling: 'uniform', steps: 1 });
  const u = (i: number) => bitsToUniform(hashBits(key, i));
  const normal = (j: number) => {
    const q = Math.floor(j / 2);
    const r = Math.sqrt(-2 * Math.log(u(layout.x0.offset + 2 * q)));
    const th = 2 * Math.PI * u(layout.x0.offset + 2 * q + 1);
    return j % 2 ? r * Math.sin(th) : r * Math.cos(th);
  };
  const x1 = dequantizeRows(images, batchRows(c.train.seed, 0, B, images.n), { seed: c.train.seed, counter: 0 });
  const ts = new Float64Array(B);
  const xt = new Float64Array(B * D);
  const target = new Float64Array(B * D);
  for (let i = 0; i < B; i++) {
    ts[i] = Math.fround(u(layout.t.offset + i));
    const k = coefficientsAt(getInterpolant('trig'), ts[i]);
    for (let j = 0; j < D; j++) {
      const x0 = normal(i * D + j);
      xt[i * D + j] = k.a * x0 + k.b * x1[i * D + j];
      target[i * D + j] = k.da * x0 + k.db * x1[i * D + j];
    }
  }
  const v = referenceVelocity({ ...c.net, dim: D }, params, xt, ts, B);
  let ref = 0;
  for (let i = 0; i < v.length; i++) ref += (v[i] - target[i]) ** 2;
  ref /= B * D;
  assert.ok(Math.abs(loss - ref) < 1e-4 * ref, `program loss ${loss}, TypeScript ${ref}`);
});
