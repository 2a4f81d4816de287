// Two real `flowlab train` processes on one data folder: both trainings complete (no "database is
// locked"), and two resumes of one run train it once.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openStore } from '../../src-main/store/index.js';
import { cliAsync } from '../helpers/cli.js';

const PAIRS = Number(process.env.FLOWLAB_CLI_PAIRS ?? 3);
const TINY = ['--dataset', 'moons', '--width', '16', '--depth', '1', '--batch', '64', '--threads', '1'];
const PAIR_TIMEOUT_MS = 120_000;

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-pair-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Exit { code: number | null; stdout: string; stderr: string }

function finished(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), PAIR_TIMEOUT_MS);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}

const both = (a: string[], b: string[]) => Promise.all([finished(cliAsync(a)), finished(cliAsync(b))]);

describe('two flowlab processes on one data folder', () => {
  test(`${PAIRS} pairs of simultaneous \`flowlab train\` all complete`, async () => {
    const failures: string[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const dir = tempDataDir();
      const args = ['train', ...TINY, '--steps', '50', '--data-dir', dir];
      const results = await both([...args, '--seed', '1'], [...args, '--seed', '2']);
      for (const r of results) if (r.code !== 0) failures.push(`pair ${pair}: exit ${r.code}: ${r.stderr.trim().split('\n').at(-1)}`);
      const store = openStore(dir);
      try {
        assert.deepEqual(store.listRuns().map((r) => r.status), results.filter((r) => r.code === 0).map(() => 'completed'));
      } finally {
        store.close();
      }
    }
    assert.deepEqual(failures, []);
  });

  test('two simultaneous `flowlab train --resume` of one run: one trains it, the other is refused', async () => {
    const dir = tempDataDir();
    const first = await finished(cliAsync(['train', ...TINY, '--steps', '50', '--data-dir', dir]));
    assert.equal(first.code, 0, first.stderr);
    const store = openStore(dir);
    const [done] = store.listRuns();
    const config = { ...(done.config as Record<string, unknown>) };
    config.train = { ...(config.train as Record<string, unknown>), steps: 300 };
    const id = store.createRun({ name: 'resume twice', config, seed: 1, dataset: 'moons', interpolant: done.interpolant }).id;
    store.finishRun(id, 'interrupted', 'left for the test');
    store.close();

    const results = await both(['train', '--resume', id, '--data-dir', dir], ['train', '--resume', id, '--data-dir', dir]);
    const trained = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code !== 0);
    assert.equal(trained.length, 1, results.map((r) => `exit ${r.code}: ${r.stderr}`).join('\n'));
    assert.match(trained[0].stdout, new RegExp(`run ${id} completed: 300 steps`));
    assert.equal(refused[0].code, 1);
    // One line: held by the other process, or (if the other finished first) already completed.
    assert.match(refused[0].stderr.trim(), new RegExp(`^error: run ${id} is (running in process \\d+|already completed)[^\\n]*$`));
    const after = openStore(dir);
    try {
      assert.equal(after.getRun(id).status, 'completed');
      assert.equal(after.metricsSeries(id, 'loss').steps.length, 300);
    } finally {
      after.close();
    }
  });
});
