import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { openStore } from '../../../src-main/store/index.js';
import { BATCH, checkpointParams } from './fixtures/crashingWriter.js';
import { runInit, tempDir } from './tempStore.js';

const WRITER = fileURLToPath(new URL('./fixtures/crashingWriter.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts the writer, waits for its `ready` line, and SIGKILLs it while it is writing. */
async function killWriterMidWrite(dataDir: string): Promise<{ runId: string; stepsBeforeReady: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const ready = await new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/ready (\S+) (\d+)\n/);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`writer exited early with code ${code}`)));
  });
  // Let it get well into its write loop before the kill.
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill('SIGKILL');
  const [, signal] = await once(child, 'exit');
  assert.equal(signal, 'SIGKILL');
  return { runId: ready[1], stepsBeforeReady: Number(ready[2]) };
}

describe('crash recovery', () => {
  test('a run whose process was SIGKILLed mid-write is interrupted on reopen, its data intact', async () => {
    const dir = tempDir();
    const { runId, stepsBeforeReady } = await killWriterMidWrite(dir);

    const store = openStore(dir);
    try {
      assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(store.recovered, [runId]);
      const run = store.getRun(runId);
      assert.equal(run.status, 'interrupted');
      assert.equal(run.pid, null);
      assert.match(run.failureReason ?? '', /engine process \(pid \d+\) ended/);
      assert.equal(run.stepsDone, stepsBeforeReady);
      assert.ok(run.finishedAt);

      // Every metric batch is all or nothing: the steps are exactly 0..k-1 with k a whole batch.
      const { steps, values } = store.metricsSeries(runId, 'loss');
      assert.ok(steps.length >= stepsBeforeReady);
      assert.equal(steps.length % BATCH, 0);
      for (let i = 0; i < steps.length; i++) {
        assert.equal(steps[i], i);
        assert.equal(values[i], 1 / (i + 1));
      }

      const checkpoint = store.latestCheckpoint(runId);
      assert.equal(checkpoint?.step, stepsBeforeReady);
      assert.deepEqual(checkpoint?.params, checkpointParams());
      assert.deepEqual(checkpoint?.optimizer?.v, checkpointParams());
      assert.deepEqual(checkpoint?.rngState, { seed: 99, counter: stepsBeforeReady });
    } finally {
      store.close();
    }
  });

  test('paused and ownerless runs of dead processes are recovered; live, remote and finished runs are left alone', () => {
    const dir = tempDir();
    const first = openStore(dir);
    const live = first.createRun(runInit()).id;
    first.markRunning(live, process.pid);
    const remote = first.createRun(runInit()).id;
    first.markRunning(remote, 1, 'another-machine');
    const ownerless = first.createRun(runInit()).id;
    first.markRunning(ownerless, process.pid);
    first.db.prepare('UPDATE runs SET pid = NULL WHERE id = ?').run(ownerless);
    const paused = first.createRun(runInit()).id;
    first.markRunning(paused, spawnSync(process.execPath, ['-e', '']).pid as number);
    first.markPaused(paused);
    const done = first.createRun(runInit()).id;
    first.markRunning(done, process.pid);
    first.finishRun(done, 'completed');
    first.close();

    const second = openStore(dir);
    try {
      assert.deepEqual([...second.recovered].sort(), [ownerless, paused].sort());
      assert.equal(second.getRun(paused).status, 'interrupted');
      assert.equal(second.getRun(live).status, 'running');
      assert.equal(second.getRun(remote).status, 'running');
      assert.equal(second.getRun(ownerless).status, 'interrupted');
      assert.equal(second.getRun(done).status, 'completed');
    } finally {
      second.close();
    }
  });
});
