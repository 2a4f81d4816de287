/**
 * The comparable loss: the same trained weights give the same loss at uniform t whatever time
 * sampling trained them would report, so two runs that differ only in train.timeSampling report
 * per-step losses on different scales but uniform-t losses on one (SCIENCE.md section 2: the
 * minimiser is the same velocity; only the weighting over t changes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src-main/store/index.js';
import { cli, lastJson } from '../helpers/cli.js';

const dataDir = join(mkdtempSync(join(tmpdir(), 'flowlab-uniform-loss-')), 'store');
const SHORT = ['--dataset', 'checkerboard', '--steps', '600', '--batch', '256', '--width', '64', '--depth', '2', '--threads', '1', '--seed', '4', '--json', '--data-dir', dataDir];

test("runs trained with 'late' and 'uniform' t: per-step losses apart, uniform-t losses together, stored with the run", () => {
  const out: Record<string, Record<string, unknown>> = {};
  for (const ts of ['late', 'uniform']) {
    const r = cli(['train', ...SHORT, '--time-sampling', ts]);
    assert.equal(r.code, 0, r.stderr);
    out[ts] = lastJson(r.stdout);
  }
  const gap = (a: number, b: number) => Math.abs(a - b) / Math.min(a, b);
  const finalGap = gap(out.late.finalLoss as number, out.uniform.finalLoss as number);
  const uniformGap = gap(out.late.uniformLoss as number, out.uniform.uniformLoss as number);
  assert.ok(uniformGap < finalGap / 2, `per-step losses ${out.late.finalLoss} vs ${out.uniform.finalLoss}; uniform-t ${out.late.uniformLoss} vs ${out.uniform.uniformLoss}`);
  const store = openStore(dataDir);
  try {
    const s = store.metricsSeries(out.late.runId as string, 'loss_uniform');
    assert.deepEqual(Array.from(s.steps), [600]);
    assert.equal(s.values[0], out.late.uniformLoss);
  } finally {
    store.close();
  }
});
