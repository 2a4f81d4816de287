/**
 * train.coupling reaches the training program: an OT-coupled run records its coupling and, with
 * closer pairs, regresses onto a target of lower variance (a lower loss) than the same run with
 * independent pairs; an unknown coupling is refused at its field; an old config loads as independent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordedConfig, defaultConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { cli, lastJson } from '../helpers/cli.js';

const dataDir = join(mkdtempSync(join(tmpdir(), 'flowlab-coupling-')), 'store');
const SHORT = ['--dataset', '8gaussians', '--steps', '150', '--batch', '256', '--width', '32', '--depth', '2', '--threads', '1', '--seed', '5', '--json', '--data-dir', dataDir];

test('an OT-coupled run records its coupling and fits closer pairs (a lower loss than independent pairs)', () => {
  const runs: Record<string, { id: string; loss: number }> = {};
  for (const coupling of ['independent', 'ot']) {
    const r = cli(['train', ...SHORT, '--coupling', coupling]);
    assert.equal(r.code, 0, r.stderr);
    const out = lastJson(r.stdout);
    runs[coupling] = { id: out.runId as string, loss: out.finalLoss as number };
  }
  const store = openStore(dataDir);
  try {
    const config = (id: string) => store.getRun(id).config as { train: { coupling: string } };
    assert.equal(config(runs.ot.id).train.coupling, 'ot');
    assert.equal(config(runs.independent.id).train.coupling, 'independent');
  } finally {
    store.close();
  }
  // independent pairs from N(0, I) to radius-4 modes regress onto E|x1 - x0|^2 ~ 18; OT pairs are much closer
  assert.ok(runs.ot.loss < 0.7 * runs.independent.loss, `OT loss ${runs.ot.loss} vs independent ${runs.independent.loss}`);
});

test('an unknown coupling is refused at its field with one line', () => {
  const r = cli(['train', ...SHORT, '--coupling', 'hungarian']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), "error: --coupling must be one of independent, ot, got 'hungarian'");
});

test('a config recorded before couplings existed loads as independent', () => {
  const old = defaultConfig('moons', 1) as unknown as { train: Record<string, unknown> };
  delete old.train.coupling;
  assert.equal(recordedConfig(old).train.coupling, 'independent');
});
