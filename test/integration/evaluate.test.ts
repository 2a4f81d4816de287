import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { evaluateRun } from '../../src-main/service/evaluate.js';
import { cli, lastJson } from '../helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'flowlab-eval-'));
const store = openStore(dataDir);
const config = defaultConfig('checkerboard', 3);
config.net = { kind: 'mlp', width: 64, depth: 2, activation: 'silu', timeFrequencies: 2 };
Object.assign(config.train, { steps: 800, batch: 256, lr: 3e-3, warmupSteps: 50 });
const trained = await trainRun({ store, config });

test('eval --json reports every figure, a KL gap >= 0 up to noise, distances above their floors, and stores them', () => {
  const r = cli(['eval', '--run', trained.runId, '--n', '400', '--json', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.stderr);
  const e = lastJson(r.stdout);
  for (const k of ['nll', 'nllStdErr', 'bitsPerDim', 'entropy', 'klGap', 'energyDistance', 'energyDistanceFloor', 'mmd', 'slicedW2', 'w2', 'kineticEnergy', 'straightness', 'cycleError', 'nfe', 'seconds']) {
    assert.equal(typeof e[k], 'number', `${k} missing`);
  }
  assert.ok(Math.abs((e.entropy as number) - Math.log(32)) < 1e-12);
  assert.ok((e.klGap as number) > -3 * (e.nllStdErr as number), `KL gap ${e.klGap}`);
  assert.ok((e.klGap as number) < 3, 'a trained model is much better than nothing');
  assert.ok((e.energyDistance as number) >= (e.energyDistanceFloor as number) * 0.5);
  assert.ok((e.w2 as number) > 0 && (e.straightness as number) > 0);
  assert.ok((e.cycleError as number) < 1e-3, `cycle error ${e.cycleError}`);
  const stored = store.listEvaluations(trained.runId);
  assert.equal(stored.length, 1);
  assert.equal((stored[0].results as Record<string, number>).nll, e.nll);
});

test('eval of a run that failed, or that has no checkpoint, says so', async () => {
  const c = defaultConfig('moons', 1);
  c.net = { kind: 'mlp', width: 8, depth: 1, activation: 'silu', timeFrequencies: 1 };
  Object.assign(c.train, { steps: 50, batch: 64, lr: 1e10, clipNorm: 0, warmupSteps: 0 });
  const failed = await trainRun({ store, config: c });
  assert.equal(failed.status, 'failed');
  await assert.rejects(evaluateRun({ store, runId: failed.runId }), /failed.*evaluate a run that trained/);
  const bare = store.createRun({ name: 'x', config: c, seed: 1, dataset: 'moons', interpolant: 'trig' });
  await assert.rejects(evaluateRun({ store, runId: bare.id }), /has no checkpoint yet/);
});

test('eval with more points than the held-out set says so and uses what there is', async () => {
  const notes: string[] = [];
  const r = await evaluateRun({ store, runId: trained.runId, n: 100_000, nll: true, solver: 'rk4', steps: 2, onNote: (m) => notes.push(m) });
  assert.equal(r.n, 10_000);
  assert.match(notes.join(' '), /larger than the 10000 held-out points; using all 10000/);
});

test('Hutchinson with 0 probes is refused; a solver out of step budget reports the time it reached', async () => {
  await assert.rejects(evaluateRun({ store, runId: trained.runId, nll: true, hutchinson: 0 }), /hutchinson must be a whole number of probes >= 1, got 0/);
  await assert.rejects(evaluateRun({ store, runId: trained.runId, nll: true, n: 100, maxSteps: 2 }), (e: Error) => /maxSteps|budget/.test(e.message) && /t ?= ?0?\.\d+/.test(e.message));
});

test('Hutchinson estimates give the same NLL as the exact divergence within their error', async () => {
  const exact = await evaluateRun({ store, runId: trained.runId, nll: true, n: 300 });
  const est = await evaluateRun({ store, runId: trained.runId, nll: true, n: 300, hutchinson: 8 });
  assert.equal(est.divergence, 'hutchinson-8');
  assert.ok(Math.abs((est.nll as number) - (exact.nll as number)) < 0.1, `${est.nll} vs ${exact.nll}`);
});

test('a data-to-data run is measured the other way: NLL of held-out base points through the target density', async () => {
  const c = defaultConfig('gaussian', 6);
  c.base = '8gaussians';
  c.net = { kind: 'mlp', width: 64, depth: 2, activation: 'silu', timeFrequencies: 2 };
  Object.assign(c.train, { steps: 1500, batch: 256, lr: 3e-3, warmupSteps: 50 });
  const run = await trainRun({ store, config: c });
  const e = await evaluateRun({ store, runId: run.runId, nll: true, n: 400 });
  assert.equal(e.nllOf, 'base');
  const gap = e.klGap as number;
  assert.ok(gap > -3 * (e.klGapStdErr as number), `KL gap ${gap} below zero beyond noise`);
  assert.ok(gap < 1.5, `KL gap ${gap}: the flow has learned the 8 Gaussians' pull-back poorly`);
});
