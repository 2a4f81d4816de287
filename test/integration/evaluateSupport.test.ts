/**
 * Toward a bounded target (moons -> checkerboard, data to data) points the flow carries outside
 * the squares have zero target density: the likelihood figures are undefined there, and every
 * door says so instead of passing on Infinity or NaN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { evaluateRun, splitEvaluation } from '../../src-main/service/evaluate.js';
import { cli } from '../helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'flowlab-eval-support-'));
const store = openStore(dataDir);
const config = defaultConfig('checkerboard', 2);
config.base = 'moons';
config.net = { kind: 'mlp', width: 32, depth: 2, activation: 'silu', timeFrequencies: 2 };
// Barely trained: many points end between the squares.
Object.assign(config.train, { steps: 60, batch: 128, lr: 3e-3, warmupSteps: 10 });
const trained = await trainRun({ store, config });

test('points outside the checkerboard make the NLL and KL gap null, with the count and the reason', async () => {
  const e = await evaluateRun({ store, runId: trained.runId, nll: true, n: 200, solver: 'rk4', steps: 20 });
  const { results, reasons } = splitEvaluation(e);
  assert.ok((results.outsideSupport as number) > 0, 'some points land outside the squares');
  // moons has no closed-form entropy, so there is no KL gap to report either way
  assert.equal('klGap' in results, false);
  for (const k of ['nll', 'nllStdErr', 'bitsPerDim']) {
    assert.equal(results[k], null, k);
    assert.match(reasons[k], /outside the support/, k);
    assert.match(reasons[k], /zero density/, k);
  }
  for (const v of Object.values(results)) assert.ok(v === null || Number.isFinite(v), `non-finite figure ${v}`);
  const stored = store.listEvaluations(trained.runId).at(-1)!;
  assert.equal(stored.results.nll, null);
});

test('flowlab eval prints what is undefined and why, names and units spelled out, counts as integers', () => {
  const r = cli(['eval', '--run', trained.runId, '--nll', '--n', '200', '--solver', 'rk4', '--steps', '20', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /Infinity|NaN/);
  assert.match(r.stdout, /Negative log-likelihood \(nats\)\s+undefined: \d+ of 200 points .* outside the support/);
  assert.match(r.stdout, /Bits per dimension \(bits\/dim\)\s+undefined:/);
  assert.match(r.stdout, /Points evaluated \(points\)\s+200\n/);
  assert.match(r.stdout, /Function evaluations \(calls\)\s+\d+\n/);
});
