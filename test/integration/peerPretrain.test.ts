/**
 * The GPU pretraining path end to end on a small U-Net, on the CPU: scripts/gpuPretrain.ts writes
 * a job (config, recipe, FlowLab's initial parameters, the agreement files) and the training split;
 * bench/peers/unet_pretrain_torch.py proves it computes FlowLab's losses, trains, samples as FlowLab's
 * em does and scores; scripts/importPeerRun.ts records what it wrote as a FlowLab run whose
 * sampling weights are the peer's EMA, bit for bit. The em sampler's noise taper and drift are
 * checked against sde.ts's on the same numbers.
 * Needs python3 with torch (as the peer's own test in unetRecipe.test.ts).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numbers } from '../../src-main/engine/interpolants/algebra.js';
import { coefficientsAt, getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import { diffusionAt, sdeDrift } from '../../src-main/engine/sample/sde.js';
import { openStore } from '../../src-main/store/index.js';
import { loadRunWeights } from '../../src-main/service/runModel.js';
import { unetBenchConfig } from '../../bench/flowlab/unetRecipe.js';
import { writePeerJob, writeTrainSplit } from '../../scripts/gpuPretrain.js';
import { importPeerRun } from '../../scripts/importPeerRun.js';
import { ROOT } from '../helpers/cli.js';

const torchReady = spawnSync('python3', ['-c', 'import torch, onnxruntime'], { timeout: 60_000 }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'flowlab-peer-pretrain-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const python = (code: string) => {
  const r = spawnSync('python3', ['-c', `import sys, json, torch\nsys.path.insert(0, 'bench/peers')\n${code}`], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
};

describe('GPU pretraining through the PyTorch peer', { skip: torchReady ? false : 'python3 with torch and onnxruntime is not installed' }, () => {
  test("the peer's em noise taper and drift are sde.ts's", () => {
    const times = [0, 0.2, 0.55, 0.82, 0.86, 0.9, 0.97];
    const x = [0.3, -1.2];
    const v = [0.7, 0.1];
    for (const name of ['linear', 'trig'] as const) {
      const it = getInterpolant(name);
      const got = python(`from unet_pretrain_torch import taper, sde_drift
x = torch.tensor(${JSON.stringify(x)}, dtype=torch.float64); v = torch.tensor(${JSON.stringify(v)}, dtype=torch.float64)
out = []
for t in ${JSON.stringify(times)}:
    e = taper("${name}", t, 2.5)
    out.append([e, sde_drift("${name}", t, x, v, e).tolist()])
print(json.dumps(out))`) as [number, number[]][];
      times.forEach((t, k) => {
        const eps = diffusionAt(numbers, it, t, 2.5);
        assert.ok(Math.abs(got[k][0] - eps) < 1e-12, `${name} eps(${t}): ${got[k][0]} against ${eps}`);
        const c = coefficientsAt(it, t);
        x.forEach((xi, i) => {
          const want = sdeDrift(numbers, c, xi, v[i], eps);
          assert.ok(Math.abs(got[k][1][i] - want) < 1e-9 * Math.max(1, Math.abs(want)), `${name} drift at t = ${t}: ${got[k][1][i]} against ${want}`);
        });
      });
    }
  });

  test('a job trains on the peer with its check passed, scores, and imports as a run that samples with its EMA', async () => {
    const c = unetBenchConfig({ seed: 4, net: { baseChannels: 4, channelMults: [1, 2], attention: false, timeFrequencies: 2 }, train: { batch: 4, warmupSteps: 2 } });
    c.interpolant = 'linear';
    c.images.sdeEps = 3;
    const train = await writeTrainSplit(join(dir, 'train.npy'), c);
    const count = await writePeerJob(join(dir, 'job'), c, train, { check: true });
    const out = join(dir, 'out');
    const r = spawnSync('python3', ['bench/peers/unet_pretrain_torch.py', '--job', join(dir, 'job'), '--data', join(dir, 'train.npy'), '--device', 'cpu',
      '--budget', '600', '--steps', '10', '--classifier', 'models/mnist-classifier.onnx', '--score-n', '16', '--eps', '0,3', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const score = JSON.parse(readFileSync(join(out, 'score.json'), 'utf8'));
    assert.equal(score.steps, 10);
    assert.equal(score.params, count);
    // the check ran against FlowLab's two steps of this very config
    assert.ok(score.check && !score.check.failed, JSON.stringify(score.check));
    assert.equal(score.check.flowlab_losses.length, 2);
    // both EMAs (the config's decay and --ema-alt's) at both eps
    assert.deepEqual(Object.keys(score.scores).sort(), [String(c.train.emaDecay), '0.9999'].sort());
    for (const ema of Object.keys(score.scores)) for (const eps of ['0.0', '3.0']) {
      const s = score.scores[ema][eps];
      assert.ok(s.confident >= 0 && s.confident <= 1 && s.classMin <= s.classMax, JSON.stringify(s));
    }
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(run.config.train.steps, 10);
    assert.equal(run.losses.length, 10);
    assert.ok(run.losses.every((l: number) => Number.isFinite(l) && l > 0));

    const store = openStore(join(dir, 'data'));
    try {
      const rec = await importPeerRun({ store, peerDir: out, samples: 0 });
      assert.equal(rec.status, 'completed');
      assert.equal(rec.stepsDone, 10);
      assert.equal(rec.backend, 'pytorch-cpu');
      const w = loadRunWeights(store, rec.id);
      assert.deepEqual(Buffer.from(w.params.buffer, w.params.byteOffset, w.params.byteLength), readFileSync(join(out, 'ema.f32')));
      assert.equal(w.config.train.emaDecay, score.emaChosen);
      assert.deepEqual(Array.from(store.metricsSeries(rec.id, 'loss').values), run.losses);
    } finally {
      store.close();
    }
  });
});
