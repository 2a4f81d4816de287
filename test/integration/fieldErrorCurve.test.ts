/**
 * The live field error: a short 8gaussians run stores the series 'field_error', which falls as
 * the net learns, and `train --json` reports its last value; a target without an exact field
 * (moons) has neither.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src-main/store/index.js';
import { FIELD_ERROR_EVERY } from '../../src-main/service/fieldErrorMonitor.js';
import { cli, lastJson } from '../helpers/cli.js';

const dataDir = join(mkdtempSync(join(tmpdir(), 'flowlab-field-error-')), 'store');
const STEPS = 1000;
const SHORT = ['--steps', String(STEPS), '--batch', '256', '--width', '64', '--depth', '2', '--threads', '1', '--seed', '2', '--json', '--data-dir', dataDir];

test('a short 8gaussians run stores a falling field-error series and reports its last value', () => {
  const r = cli(['train', '--dataset', '8gaussians', ...SHORT]);
  assert.equal(r.code, 0, r.stderr);
  const out = lastJson(r.stdout);
  const store = openStore(dataDir);
  try {
    const s = store.metricsSeries(out.runId as string, 'field_error');
    // the first chunk, then at most every FIELD_ERROR_EVERY steps (and as the time budget allows), and the last step
    assert.ok(s.steps.length >= 2, `${s.steps.length} measurements`);
    for (let i = 2; i < s.steps.length; i++) assert.ok(s.steps[i - 1] - s.steps[i - 2] >= FIELD_ERROR_EVERY);
    assert.equal(s.steps[s.steps.length - 1], STEPS);
    assert.equal(out.fieldError, s.values[s.values.length - 1]);
    const first = s.values[0];
    const last = s.values[s.values.length - 1];
    assert.ok(last < 0.3 * first, `field error ${first} -> ${last}`);
    for (let i = 1; i < s.values.length; i++) assert.ok(s.values[i] < s.values[i - 1] * 1.1, `rises at step ${s.steps[i]}: ${Array.from(s.values)}`);
  } finally {
    store.close();
  }
});

test('a target without an exact field (moons) has no field-error series', () => {
  const r = cli(['train', '--dataset', 'moons', ...SHORT.map((a) => (a === String(STEPS) ? '30' : a))]);
  assert.equal(r.code, 0, r.stderr);
  const out = lastJson(r.stdout);
  assert.equal(out.fieldError, undefined);
  const store = openStore(dataDir);
  try {
    assert.equal(store.metricsSeries(out.runId as string, 'field_error').steps.length, 0);
  } finally {
    store.close();
  }
});
