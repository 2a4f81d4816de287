import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainConfig } from '../../../src-main/api/config.js';
import { loadMnist, readNpyImages, splitImages } from '../../../src-main/engine/data/images/index.js';
import { coefficientsAt, getInterpolant } from '../../../src-main/engine/interpolants/schedules.js';
import { netDim, netParamCount } from '../../../src-main/engine/nets/velocityNet.js';
import { createSession, ort } from '../../../src-main/engine/onnx/runtime.js';
import { buildVelocityProgram } from '../../../src-main/engine/sample/velocityProgram.js';
import { ImageTrainSession, initialImageState } from '../../../src-main/engine/train/imageTrainSession.js';
import { CHECK_STEPS, exportTrainSplit, mnistNet, parseNetArg, peerRecipe, stepInputs, unetBenchConfig, writePeerCheck } from '../../../bench/flowlab/unetRecipe.js';

/** A small U-Net on MNIST, so a step takes milliseconds. */
const tiny = (train: Partial<TrainConfig> = {}, interpolant?: 'linear') => {
  const c = unetBenchConfig({ seed: 3, net: { baseChannels: 4, channelMults: [1, 2], attention: false, timeFrequencies: 2 }, train: { batch: 3, ...train } });
  if (interpolant) c.interpolant = interpolant;
  return c;
};

describe('the U-Net benchmark experiment', () => {
  test('is the service defaults for mnist with the net and training fields laid over them', () => {
    const c = unetBenchConfig({ seed: 5, net: 'large', train: { batch: 8 }, threads: 1 });
    assert.deepEqual({ ...c.net }, { kind: 'unet', baseChannels: 32, channelMults: [1, 2, 2], blocksPerLevel: 1, attention: true, timeFrequencies: 4 });
    assert.equal(c.train.batch, 8);
    assert.equal(c.train.seed, 5);
    assert.equal(c.dataset, 'mnist');
    assert.equal(unetBenchConfig().train.batch, unetBenchConfig({ net: 'default' }).train.batch);
  });

  test('refuses a bad net field or an unknown net name in one line naming it', () => {
    assert.throws(() => unetBenchConfig({ net: { baseChannels: 0 } }), /^Error: net\.baseChannels must be a whole number from 1 to 512$/);
    assert.throws(() => unetBenchConfig({ net: 'huge' }), /net must be one of default, large or a JSON object/);
    assert.throws(() => parseNetArg('{"baseChannels": }'), /--net is not valid JSON/);
    assert.deepEqual(parseNetArg('{"baseChannels": 16}'), { baseChannels: 16 });
    assert.equal(parseNetArg('large'), 'large');
  });

  test("gives the peer the rates in effect: warmup capped at a fifth of the steps", () => {
    const r = peerRecipe(tiny({ steps: 100, warmupSteps: 200, schedule: 'constant' }));
    assert.equal(r.warmup, 20);
    assert.equal(r.schedule, 'constant');
    assert.deepEqual(r.net, { channels: 1, height: 28, width: 28, base: 4, mults: [1, 2], blocks: 1, attention: false, freqs: 2 });
    assert.equal(r.emaWarmup, 10);
    assert.equal(peerRecipe(tiny({ steps: 3000, warmupSteps: 200 })).warmup, 200);
  });
});

describe('the exported training split', () => {
  test('reads back as exactly the digits the run trains on, none of its held-out ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlab-unet-recipe-'));
    try {
      const c = tiny();
      const path = join(dir, 'train.npy');
      const { n } = await exportTrainSplit(c, path);
      const back = readNpyImages(path);
      const { train, test: held } = splitImages(loadMnist(), c.heldOut, c.train.seed);
      assert.equal(n, train.n);
      assert.equal(n, 9000);
      assert.deepEqual([back.n, back.c, back.h, back.w], [train.n, 1, 28, 28]);
      assert.ok(Buffer.from(back.pixels).equals(Buffer.from(train.pixels)), 'pixels differ from the training split');
      assert.equal(train.n + held.n, 10000);
      // Another seed trains on other digits: the export follows the run's split.
      const other = await exportTrainSplit(unetBenchConfig({ seed: 4, net: { baseChannels: 4 } }), path);
      assert.ok(!Buffer.from(readNpyImages(path).pixels).equals(Buffer.from(train.pixels)));
      assert.equal(other.n, 9000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The loss of the velocity program on the host-drawn inputs of a step. */
async function hostLoss(c: ReturnType<typeof tiny>, params: Float32Array, inputs: ReturnType<typeof stepInputs>): Promise<number> {
  const net = mnistNet(c);
  const D = netDim(net);
  const B = c.train.batch;
  const it = getInterpolant(c.interpolant);
  const xt = new Float32Array(B * D);
  const target = new Float64Array(B * D);
  for (let i = 0; i < B; i++) {
    const k = coefficientsAt(it, inputs.t[i]);
    for (let j = 0; j < D; j++) {
      const [x0, x1] = [inputs.x0[i * D + j], inputs.x1[i * D + j]];
      xt[i * D + j] = k.a * x0 + k.b * x1;
      target[i * D + j] = k.da * x0 + k.db * x1;
    }
  }
  const s = await createSession(buildVelocityProgram(net), { backend: 'cpu', threads: 1 });
  try {
    const v = (await s.run({ x: new ort.Tensor('float32', xt, [B, D]), t: new ort.Tensor('float32', inputs.t, [B, 1]), params: new ort.Tensor('float32', params, [params.length]) })).v.data as Float32Array;
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += (v[i] - target[i]) ** 2;
    return sum / (B * D);
  } finally {
    await s.release();
  }
}

describe("a step's inputs recomputed on the host", () => {
  for (const [name, c] of [['trig, late t (the defaults)', tiny()], ['linear, uniform t', tiny({ timeSampling: 'uniform' }, 'linear')]] as const) {
    test(`give the training program's own losses of steps 0 and 1 (${name})`, async () => {
      const net = mnistNet(c);
      const { train } = splitImages(loadMnist(), c.heldOut, c.train.seed);
      const state = initialImageState(net, c.train.seed);
      const p0 = state.params.slice();
      const session = await ImageTrainSession.create({ config: c, net, interpolant: getInterpolant(c.interpolant), images: train, state, backend: 'cpu', threads: 1 });
      const l0 = (await session.advance(1)).losses[0];
      const p1 = session.state.params.slice();
      const l1 = (await session.advance(1)).losses[0];
      await session.release();
      const h0 = await hostLoss(c, p0, stepInputs(c, net, train, 0));
      const h1 = await hostLoss(c, p1, stepInputs(c, net, train, 1));
      assert.ok(Math.abs(h0 - l0) < 1e-5 * l0, `step 0: program ${l0}, host inputs ${h0}`);
      assert.ok(Math.abs(h1 - l1) < 1e-5 * l1, `step 1: program ${l1}, host inputs ${h1}`);
      // The inputs of another step give another loss: the match is not by accident.
      assert.ok(Math.abs((await hostLoss(c, p0, stepInputs(c, net, train, 1))) - l0) > 1e-3 * l0);
    });
  }

  test('refuse an interpolant with latent noise, which the peer does not draw', () => {
    const c = tiny();
    c.interpolant = 'stochastic';
    const { train } = splitImages(loadMnist(), c.heldOut, c.train.seed);
    assert.throws(() => stepInputs(c, mnistNet(c), train, 0), /draws latent noise/);
  });
});

const torchReady = spawnSync('python3', ['-c', 'import torch'], { timeout: 60_000 }).status === 0;

describe('the PyTorch peer', { skip: torchReady ? false : 'python3 with torch is not installed' }, () => {
  test('passes its check on the same recipe and refuses a different learning rate or EMA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlab-unet-peer-'));
    try {
      const c = tiny();
      const { train } = await exportTrainSplit(c, join(dir, 'train.npy'));
      const { losses } = await writePeerCheck(join(dir, 'check'), c, train);
      assert.equal(losses.length, CHECK_STEPS);
      assert.equal(statSync(join(dir, 'check', `params${CHECK_STEPS}.f32`)).size, 4 * netParamCount(mnistNet(c)));
      const peer = (recipe: object) => {
        writeFileSync(join(dir, 'recipe.json'), JSON.stringify(recipe));
        return spawnSync('python3', ['bench/peers/unet_train_torch.py', '--recipe', join(dir, 'recipe.json'), '--data', join(dir, 'train.npy'), '--check', join(dir, 'check'), '--threads', '1'], { encoding: 'utf8', input: '', timeout: 120_000 });
      };
      const ok = peer(peerRecipe(c));
      assert.equal(ok.status, 0, ok.stderr);
      const ready = JSON.parse(ok.stdout.trim().split('\n')[0]);
      assert.equal(ready.params, netParamCount(mnistNet(c)));
      ready.check.losses.forEach((l: number, i: number) => assert.ok(Math.abs(l - losses[i]) < 1e-4 * losses[i]));
      const fast = peer({ ...peerRecipe(c), lr: c.train.lr * 1.1 });
      assert.notEqual(fast.status, 0);
      assert.match(fast.stderr, /of the params changes agree with FlowLab's/);
      const ema = peer({ ...peerRecipe(c), emaWarmup: 5 });
      assert.match(ema.stderr, /of the ema changes agree with FlowLab's/);
      const t = JSON.parse(readFileSync(join(dir, 'check', 'check.json'), 'utf8'));
      assert.deepEqual(t.losses, losses);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
