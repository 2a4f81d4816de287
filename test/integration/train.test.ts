import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type ExperimentConfig } from '../../src-main/api/config.js';
import { Rng } from '../../src-main/engine/random.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { sampleRun } from '../../src-main/service/sample.js';
import { cliAsync } from '../helpers/cli.js';
import { configFromArgs, TRAIN_OPTIONS } from '../../src-main/cli/train.js';
import { parse } from '../../src-main/cli/args.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'flowlab-train-'));

function smallConfig(dataset: string, steps: number, seed = 5): ExperimentConfig {
  const c = defaultConfig(dataset, seed);
  c.net = { kind: 'mlp', width: 64, depth: 2, activation: 'silu', timeFrequencies: 2 };
  Object.assign(c.train, { steps, batch: 256, lr: 2e-3, warmupSteps: 50 });
  c.threads = 2;
  return c;
}

/** A CSV of N(m, S) samples, S = L L^T. */
function gaussianCsv(dir: string, m: [number, number], L: [[number, number], [number, number]], n: number): string {
  const r = new Rng(77);
  const lines = ['a,b'];
  for (let i = 0; i < n; i++) {
    const z0 = r.normal();
    const z1 = r.normal();
    lines.push(`${m[0] + L[0][0] * z0},${m[1] + L[1][0] * z0 + L[1][1] * z1}`);
  }
  const path = join(dir, 'gauss.csv');
  writeFileSync(path, lines.join('\n'));
  return path;
}

test('a net trained on a 2-D Gaussian target reproduces its mean (to 0.05) and covariance (to 0.1, Frobenius)', async () => {
  const dir = tmp();
  const m: [number, number] = [1, -0.5];
  const L: [[number, number], [number, number]] = [[1, 0], [0.6, 0.7]];
  const S = [L[0][0] ** 2, L[0][0] * L[1][0], L[0][0] * L[1][0], L[1][0] ** 2 + L[1][1] ** 2];
  const store = openStore(dir);
  const summary = await trainRun({ store, config: smallConfig(gaussianCsv(dir, m, L, 20000), 2500) });
  assert.equal(summary.status, 'completed');
  const r = await sampleRun({ store, runId: summary.runId, n: 20000, solver: 'rk4', steps: 40 });
  const mean = [0, 0];
  for (let i = 0; i < r.n; i++) for (let j = 0; j < 2; j++) mean[j] += r.x[i * 2 + j] / r.n;
  const cov = [0, 0, 0, 0];
  for (let i = 0; i < r.n; i++) {
    const a = r.x[i * 2] - mean[0];
    const b = r.x[i * 2 + 1] - mean[1];
    cov[0] += (a * a) / r.n;
    cov[1] += (a * b) / r.n;
    cov[2] += (a * b) / r.n;
    cov[3] += (b * b) / r.n;
  }
  const meanErr = Math.hypot(mean[0] - m[0], mean[1] - m[1]);
  const covErr = Math.sqrt(cov.reduce((s, c, k) => s + (c - S[k]) ** 2, 0));
  assert.ok(meanErr < 0.05, `mean ${mean} vs ${m}`);
  assert.ok(covErr < 0.1, `covariance ${cov} vs ${S}`);
  store.close();
});

test('data-to-data between two Gaussians given as specs, in 3-D, written as on the command line: the samples have the target mean and covariance', async () => {
  const dir = tmp();
  const m = [1, -2, 0.5];
  const S = [2, 0.3, 0, 0.3, 1, 0, 0, 0, 0.5];
  const args = ['--dataset', `gaussian:${m}:${S}`, '--base', 'gaussian:0,0,0:0.25', '--steps', '1500', '--width', '64', '--depth', '2', '--batch', '256', '--lr', '2e-3', '--seed', '2', '--threads', '2'];
  const store = openStore(dir);
  const summary = await trainRun({ store, config: configFromArgs(parse('train', args, TRAIN_OPTIONS)) });
  assert.equal(summary.status, 'completed');
  const r = await sampleRun({ store, runId: summary.runId, n: 20000, solver: 'rk4', steps: 40 });
  assert.equal(r.d, 3);
  const mean = [0, 1, 2].map((j) => Array.from({ length: r.n }, (_, i) => r.x[i * 3 + j]).reduce((a, b) => a + b, 0) / r.n);
  const cov = S.map((_, k) => {
    const [a, b] = [Math.floor(k / 3), k % 3];
    let c = 0;
    for (let i = 0; i < r.n; i++) c += ((r.x[i * 3 + a] - mean[a]) * (r.x[i * 3 + b] - mean[b])) / r.n;
    return c;
  });
  assert.ok(Math.hypot(...mean.map((x, j) => x - m[j])) < 0.08, `mean ${mean} vs ${m}`);
  assert.ok(Math.hypot(...cov.map((c, k) => c - S[k])) < 0.15, `covariance ${cov} vs ${S}`);
  store.close();
});

test('a training killed mid-way is marked interrupted and --resume ends exactly as the uninterrupted run', async () => {
  const steps = 2000;
  const args = ['--dataset', '8gaussians', '--steps', String(steps), '--seed', '11', '--width', '64', '--depth', '2', '--batch', '256', '--lr', '2e-3', '--threads', '2'];
  const straight = tmp();
  const s1 = openStore(straight);
  const ref = await trainRun({ store: s1, config: configFromArgs(parse('train', args, TRAIN_OPTIONS)) });
  const refLoss = s1.metricsSeries(ref.runId, 'loss');
  s1.close();

  const killed = tmp();
  const child = cliAsync(['train', ...args, '--checkpoint-seconds', '0.2', '--data-dir', killed, '--json']);
  const probe = openStore(killed);
  let runId = '';
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const run = probe.listRuns()[0];
    const ck = run && probe.listCheckpoints(run.id)[0];
    if (run && ck && ck.step > 0 && run.stepsDone < steps * 0.8) {
      runId = run.id;
      break;
    }
  }
  assert.ok(runId, 'the child never wrote a checkpoint mid-way');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  probe.close();

  const s2 = openStore(killed);
  assert.equal(s2.getRun(runId).status, 'interrupted');
  assert.equal(s2.db.pragma('integrity_check', { simple: true }), 'ok');
  const resumed = await trainRun({ store: s2, resumeRunId: runId });
  assert.equal(resumed.status, 'completed');
  assert.equal(resumed.steps, steps);
  assert.equal(resumed.finalLoss, ref.finalLoss);
  const loss = s2.metricsSeries(runId, 'loss');
  assert.deepEqual(Array.from(loss.values), Array.from(refLoss.values));
  s2.close();
});

test('a run stopped a few steps in and resumed reports the final loss of the run straight through (the mean over its last steps, not only the resumed ones)', async () => {
  const c = smallConfig('moons', 60); // under FINAL_LOSS_WINDOW, so the mean spans both parts
  const store = openStore(tmp());
  const ref = await trainRun({ store, config: c });
  const stop = new AbortController();
  const first = await trainRun({ store, config: c, signal: stop.signal, onEvent: (e) => e.type === 'progress' && stop.abort() });
  assert.equal(first.status, 'stopped');
  assert.ok(first.steps > 0 && first.steps < 60, `stopped at ${first.steps}`);
  const resumed = await trainRun({ store, resumeRunId: first.runId });
  assert.equal(resumed.steps, 60);
  assert.deepEqual(Array.from(store.metricsSeries(first.runId, 'loss').values), Array.from(store.metricsSeries(ref.runId, 'loss').values));
  assert.equal(resumed.finalLoss, ref.finalLoss);
  store.close();
});

test('a training that diverges stops as failed, with the reason and the last good checkpoint kept', async () => {
  const dir = tmp();
  const store = openStore(dir);
  const c = smallConfig('moons', 400);
  c.train.lr = 1e10;
  c.train.clipNorm = 0;
  c.train.warmupSteps = 0;
  const s = await trainRun({ store, config: c });
  assert.equal(s.status, 'failed');
  const run = store.getRun(s.runId);
  assert.equal(run.status, 'failed');
  assert.match(run.failureReason ?? '', /diverged.*lower the learning rate/);
  const ck = store.latestCheckpoint(s.runId);
  assert.ok(ck, 'a checkpoint is kept');
  assert.ok(ck.params.every(Number.isFinite) && ck.optimizer!.m.every(Number.isFinite), 'the kept state is finite');
  const loss = store.metricsSeries(s.runId, 'loss');
  assert.ok(Array.from(loss.values).every(Number.isFinite), 'only finite losses are logged');
  store.close();
});

test('train options reach the recorded config: --lr-floor, --time-sampling, --ema; defaults otherwise', () => {
  const c = configFromArgs(parse('train', ['--dataset', 'moons', '--lr-floor', '0', '--time-sampling', 'uniform', '--ema', '0.99', '--seed', '3'], TRAIN_OPTIONS));
  assert.equal(c.train.lrFloor, 0);
  assert.equal(c.train.timeSampling, 'uniform');
  assert.equal(c.train.emaDecay, 0.99);
  const d = configFromArgs(parse('train', ['--dataset', 'moons'], TRAIN_OPTIONS));
  assert.deepEqual([d.train.lr, d.train.beta2, d.train.lrFloor, d.train.timeSampling, d.train.emaDecay, d.train.batch, d.train.steps], [1e-3, 0.98, 0.1, 'late', 0.999, 1024, 20000]);
});
