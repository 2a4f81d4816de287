/**
 * A long `flowlab sample` shows how far it has got, and Ctrl-C says what it stopped and that
 * nothing was written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { cliAsync } from '../helpers/cli.js';

test('sample reports rows solved on a long solve, and Ctrl-C names what it stopped and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-sample-int-'));
  const store = openStore(dir);
  const config = defaultConfig('moons', 2);
  config.net = { kind: 'mlp', width: 16, depth: 2, activation: 'silu', timeFrequencies: 2 };
  Object.assign(config.train, { steps: 20, batch: 64, warmupSteps: 0 });
  const { runId } = await trainRun({ store, config });
  store.close();
  const out = join(dir, 'many.npy');
  const child = cliAsync(['sample', '--run', runId, '--n', '1000000', '--steps', '200', '--threads', '1', '--out', out, '--data-dir', dir]);
  let stderr = '';
  child.stderr!.on('data', (b) => (stderr += b));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no progress line: ${stderr}`)), 120_000);
    child.stderr!.on('data', () => {
      if (/\d+\/1000000 samples \(\d+%\)/.test(stderr)) { clearTimeout(timer); resolve(); }
    });
  });
  assert.match(stderr, new RegExp(`^drawing 1000000 samples from run ${runId} with rk4\\.\\.\\.`));
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.ok(stderr.includes(`stopped: the 1000000 samples from run ${runId} (rk4) were not finished; nothing was written to ${out}`), stderr);
  assert.equal(existsSync(out), false);
});
