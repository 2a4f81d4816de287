/** A training whose loss blows up without becoming NaN is marked failed as diverged, not completed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';

test('lr 1000 without clipping ends failed, "diverged", with what to change; the same run at lr 1e-3 completes', async () => {
  const store = openStore(mkdtempSync(join(tmpdir(), 'flowlab-diverge-')));
  const c = defaultConfig('8gaussians', 0);
  c.net = { kind: 'mlp', width: 32, depth: 2, activation: 'silu', timeFrequencies: 2 };
  Object.assign(c.train, { steps: 400, batch: 128, lr: 1000, clipNorm: 0, warmupSteps: 0, schedule: 'constant' });
  const bad = await trainRun({ store, config: c });
  assert.equal(bad.status, 'failed');
  assert.match(bad.failureReason ?? '', /training diverged: the mean loss over the \d+ steps/, 'finite losses far above the early level');
  assert.match(bad.failureReason ?? '', /train\.lr.*train\.clipNorm/);
  assert.equal(store.getRun(bad.runId).status, 'failed');
  assert.ok(bad.steps < 400, `stopped at ${bad.steps}`);

  c.train.lr = 1e-3;
  const good = await trainRun({ store, config: c });
  assert.equal(good.status, 'completed');
});
