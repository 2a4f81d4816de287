import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, parseConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { sampleRun } from '../../src-main/service/sample.js';
import { velocityModelBytes } from '../../src-main/service/export.js';
import { importPretrained, listPretrained, PRETRAINED_TAG, type PretrainedManifest } from '../../src-main/service/pretrained.js';
import { fromPixelLevels } from '../../src-main/service/pretrainedHistory.js';
import { readModel } from '../../src-main/engine/onnx/protoRead.js';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-pretrained-'));
const models = join(dir, 'models');
const store = openStore(join(dir, 'store'));
const config = defaultConfig('8gaussians', 2);
config.net = { kind: 'mlp', width: 32, depth: 2, activation: 'silu', timeFrequencies: 2 };
Object.assign(config.train, { steps: 150, batch: 128 });
const trained = await trainRun({ store, config });
const bytes = velocityModelBytes(store, trained.runId);
const manifest: PretrainedManifest = {
  name: 'tiny', title: 'Tiny 8 Gaussians', description: 'a test model', dataset: '8gaussians', interpolant: 'trig', dim: 2, tMax: 1, config,
  training: { steps: 150, seconds: 1, stepsPerSec: 150, backend: 'cpu', flowlabVersion: 'test', date: '2026-01-01' },
  metrics: { klGap: 0.5 },
};
(await import('node:fs')).mkdirSync(models);
writeFileSync(join(models, 'tiny.onnx'), bytes);
writeFileSync(join(models, 'tiny.json'), JSON.stringify(manifest));

test('an exported model reads back: its initializers are the run weights and its metadata holds the config', () => {
  const m = readModel(bytes);
  // the config as the run recorded it: every default filled in (net.kind among them)
  assert.deepEqual(JSON.parse(m.metadata.config), parseConfig(config));
  for (const name of ['w0', 'b0', 'w1', 'b1', 'w2', 'b2']) assert.ok(m.initializers.has(name), name);
  assert.deepEqual(m.initializers.get('w0')!.dims, [2 + 1 + 4, 32]);
});

test('a pretrained model becomes a completed run that samples exactly like the run it came from, once', async () => {
  assert.deepEqual(listPretrained(models).map((m) => m.name), ['tiny']);
  const run = importPretrained(store, 'tiny', models);
  assert.equal(run.status, 'completed');
  assert.deepEqual(run.tags, [PRETRAINED_TAG]);
  assert.equal(importPretrained(store, 'tiny', models).id, run.id, 'importing again reuses the run');
  const a = await sampleRun({ store, runId: trained.runId, n: 200, solver: 'rk4', steps: 10, seed: 4, save: false });
  const b = await sampleRun({ store, runId: run.id, n: 200, solver: 'rk4', steps: 10, seed: 4, save: false });
  assert.deepEqual(b.x, a.x);
  assert.equal((store.listEvaluations(run.id)[0].results as Record<string, number>).klGap, 0.5);
  assert.throws(() => importPretrained(store, 'nope', models), /no pretrained model 'nope'; available: tiny/);
});

test('the models shipped in models/ all have a manifest and load as runs', () => {
  const shipped = listPretrained(join(ROOT, 'models'));
  for (const m of shipped) {
    const run = importPretrained(store, m.name, join(ROOT, 'models'));
    assert.equal(run.status, 'completed');
    assert.ok(readFileSync(join(ROOT, 'models', `${m.name}.onnx`)).byteLength > 1000);
  }
});

test('a shipped model imports with its training curve, samples, training time and the date it was evaluated', () => {
  const fresh = openStore(join(dir, 'store-shipped'));
  try {
    for (const m of listPretrained(join(ROOT, 'models'))) {
      assert.ok(m.curves && m.samples && m.evaluatedAt, `models/${m.name}.json carries curves, samples and evaluatedAt`);
      const run = importPretrained(fresh, m.name, join(ROOT, 'models'));
      const loss = fresh.metricsSeries(run.id, 'loss');
      assert.deepEqual(Array.from(loss.steps), m.curves.step);
      assert.deepEqual(Array.from(loss.values), m.curves.series.loss);
      assert.equal(fresh.metricsSeries(run.id, 'grad_norm').steps.length, m.curves.step.length);
      assert.equal(run.durationS, m.training.seconds);
      assert.equal(fresh.listEvaluations(run.id)[0].createdAt, m.evaluatedAt);
      const samples = fresh.latestSamples(run.id, 'final')!;
      assert.equal(samples.n, m.samples.n);
      const shipped = 'pixels' in m.samples ? Array.from(fromPixelLevels(m.samples.pixels.slice(0, 4))) : m.samples.data.slice(0, 4).map(Math.fround);
      assert.deepEqual(Array.from(samples.data.subarray(0, 4)), shipped);
    }
  } finally {
    fresh.close();
  }
});
