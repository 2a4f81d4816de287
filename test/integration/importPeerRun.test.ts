/**
 * scripts/importPeerRun.ts: a tiny U-Net MNIST run laid out as FlowLab's PyTorch peer writes it
 * (run.json, params.f32, ema.f32, m.f32, v.f32; FlowLab's own initial parameters, perturbed) is
 * recorded as a completed run with the given curves, its EMA as the weights sampling uses, Adam's
 * moments and a gallery, and draws images; a run stopped short without moments is recorded
 * stopped and refuses to resume; an MLP config and a params.f32 of the wrong length are refused
 * with one line naming the field or the file, through the function and the script.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type ExperimentConfig } from '../../src-main/api/config.js';
import { netSpecFor } from '../../src-main/engine/nets/velocityNet.js';
import { initialImageState } from '../../src-main/engine/train/imageTrainSession.js';
import { openStore } from '../../src-main/store/index.js';
import { loadRunWeights } from '../../src-main/service/runModel.js';
import { sampleRun } from '../../src-main/service/sample.js';
import { trainRun } from '../../src-main/service/train.js';
import { importPeerRun, PEER_TAG } from '../../scripts/importPeerRun.js';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-peer-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const STEPS = 6;

function tinyMnist(): ExperimentConfig {
  const c = defaultConfig('mnist', 3);
  c.net = { kind: 'unet', baseChannels: 4, channelMults: [1, 2], blocksPerLevel: 1, attention: false, timeFrequencies: 2 };
  Object.assign(c.train, { steps: STEPS, batch: 4, warmupSteps: 1 });
  c.threads = 1;
  return c;
}

const perturbed = (x: Float32Array, f: (i: number) => number) => x.map((v, i) => v + f(i));
const f32 = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

interface PeerFiles {
  config: ExperimentConfig;
  stepsDone: number;
  params: Float32Array;
  ema: Float32Array;
  losses: number[];
  gradNorms: number[];
  moments: boolean;
}

/** A peer folder as unet_train_torch.py writes it; returns what it holds. */
function writePeer(name: string, o: { config?: ExperimentConfig; stepsDone?: number; moments?: boolean; paramsLength?: number } = {}): PeerFiles & { dir: string } {
  const config = o.config ?? tinyMnist();
  const stepsDone = o.stepsDone ?? config.train.steps;
  const p0 = initialImageState(netSpecFor(config.net, [1, 28, 28]), config.train.seed).params;
  const params = perturbed(p0, (i) => 0.01 * Math.sin(i));
  const ema = perturbed(p0, (i) => 0.005 * Math.cos(i));
  const losses = Array.from({ length: stepsDone }, (_, i) => 2 / (1 + i) + 0.123456789e-3 * i);
  const gradNorms = Array.from({ length: stepsDone }, (_, i) => 3 - 0.25 * i);
  const peer = join(dir, name);
  mkdirSync(peer);
  writeFileSync(join(peer, 'run.json'), JSON.stringify({
    config, stepsDone, trainSeconds: 1.5, device: 'NVIDIA H200', torch: '2.5.1+cu124', peer: 'bench/peers/unet_train_torch.py',
    losses, gradNorms, wall: [[1, 0.4], [Math.min(3, stepsDone), 0.9]],
    check: { params_agree: 0.99871234, ema_rel_err: 0.00123456, losses: [1.5, 1.25] },
  }));
  writeFileSync(join(peer, 'params.f32'), f32(o.paramsLength === undefined ? params : params.subarray(0, o.paramsLength)));
  writeFileSync(join(peer, 'ema.f32'), f32(ema));
  const moments = o.moments ?? true;
  if (moments) {
    writeFileSync(join(peer, 'm.f32'), f32(perturbed(new Float32Array(params.length), (i) => 1e-4 * Math.sin(3 * i))));
    writeFileSync(join(peer, 'v.f32'), f32(perturbed(new Float32Array(params.length), (i) => 1e-6 * (1 + Math.cos(i)))));
  }
  return { dir: peer, config, stepsDone, params, ema, losses, gradNorms, moments };
}

const store = openStore(join(dir, 'data'));

test('a finished peer run is recorded completed, with its curves, its EMA as the sampling weights, its moments and a gallery', async () => {
  const peer = writePeer('done');
  const run = await importPeerRun({ store, peerDir: peer.dir, samples: 2 });
  const listed = store.listRuns({ tag: PEER_TAG });
  assert.deepEqual(listed.map((r) => r.id), [run.id]);
  assert.equal(listed[0].status, 'completed');
  assert.equal(listed[0].stepsDone, STEPS);
  assert.equal(run.backend, 'pytorch-cuda (NVIDIA H200)');
  assert.equal(run.durationS, 1.5);
  assert.equal(run.lastLoss, peer.losses.at(-1));
  assert.equal(run.bestLoss, Math.min(...peer.losses));
  assert.match(run.notes, /PyTorch peer .* on NVIDIA H200 with torch 2\.5\.1\+cu124 in 1\.5 s/);
  assert.match(run.notes, /params_agree 0\.9987, ema_rel_err 0\.001235, losses \[1\.5, 1\.25\]/);

  const loss = store.metricsSeries(run.id, 'loss');
  assert.deepEqual(Array.from(loss.steps), peer.losses.map((_, i) => i));
  assert.deepEqual(Array.from(loss.values), peer.losses);
  assert.deepEqual(Array.from(store.metricsSeries(run.id, 'grad_norm').values), peer.gradNorms);
  // the peer's wall points (after 1 and 3 steps) at FlowLab's step indices, and the last step's at the training time
  const wall = store.metricsSeries(run.id, 'wall_s');
  assert.deepEqual([Array.from(wall.steps), Array.from(wall.values)], [[0, 2, STEPS - 1], [0.4, 0.9, 1.5]]);

  const w = loadRunWeights(store, run.id);
  assert.deepEqual(w.shape, [1, 28, 28]);
  assert.equal(w.step, STEPS);
  assert.deepEqual(f32(w.params), f32(peer.ema), 'sampling uses the EMA, bit for bit');
  const ck = store.latestCheckpoint(run.id)!;
  assert.deepEqual(f32(ck.params), f32(peer.params));
  assert.ok(ck.optimizer && ck.optimizer.m.length === peer.params.length && ck.optimizer.v.some((x) => x > 0));
  assert.equal(store.latestSamples(run.id, 'final')?.n, 2, 'the gallery a finished training draws');

  const r = await sampleRun({ store, runId: run.id, n: 3, save: false });
  assert.deepEqual(r.shape, [1, 28, 28]);
  assert.equal(r.x.length, 3 * 784);
  assert.ok(r.x.every(Number.isFinite));
});

test('a peer run stopped short without Adam\'s moments is recorded stopped and refuses to resume', async () => {
  const peer = writePeer('short', { stepsDone: 3, moments: false });
  const run = await importPeerRun({ store, peerDir: peer.dir, name: 'short peer run', samples: 0 });
  assert.equal(run.name, 'short peer run');
  assert.equal(run.status, 'stopped');
  assert.equal(run.stepsDone, 3);
  assert.match(run.failureReason ?? '', /after 3 of 6 steps.*cannot be resumed/);
  assert.equal(store.latestCheckpoint(run.id)!.optimizer, null);
  await assert.rejects(trainRun({ store, resumeRunId: run.id }), /cannot be resumed: its checkpoint \(step 3\) holds no optimizer state/);
  assert.equal(store.getRun(run.id).status, 'stopped', 'the refused resume leaves it as it was');
});

test('an MLP config and a params.f32 of the wrong length are refused, naming the field or the file, and record nothing', async () => {
  const before = store.listRuns().length;
  const mlp = defaultConfig('mnist', 3, false);
  const mlpPeer = join(dir, 'mlp');
  mkdirSync(mlpPeer);
  writeFileSync(join(mlpPeer, 'run.json'), JSON.stringify({ config: mlp, stepsDone: 1 }));
  await assert.rejects(importPeerRun({ store, peerDir: mlpPeer }), /config\.net\.kind is 'mlp'.*only a 'unet' run/);

  const bad = writePeer('short-params', { paramsLength: 100 });
  const expected = bad.params.length;
  await assert.rejects(importPeerRun({ store, peerDir: bad.dir }), new RegExp(`params\\.f32 holds 100 float32 values, but the config's U-Net .* has ${expected} parameters`));
  assert.equal(store.listRuns().length, before);

  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/importPeerRun.ts', '--data-dir', join(dir, 'data'), '--peer', bad.dir], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(cli.status, 1);
  assert.equal(cli.stdout, '');
  const lines = cli.stderr.trim().split('\n');
  assert.equal(lines.length, 1, cli.stderr);
  assert.match(lines[0], /^error: .*params\.f32 holds 100 float32 values/);
  assert.equal(store.listRuns().length, before);
});
