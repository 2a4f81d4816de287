import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { openStore, type Store } from '../../../src-main/store/index.js';
import { BIG_PARAMS, STAGES } from './fixtures/crashingWriter.js';
import { REPO_ROOT } from './race.js';
import { tempDir } from './tempStore.js';

const WRITER = fileURLToPath(new URL('./fixtures/crashingWriter.ts', import.meta.url));

/** Runs the writer to `stage`, lets it work there a moment, SIGKILLs it; returns its run id. */
async function killAt(dataDir: string, stage: string): Promise<string | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, stage], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const line = await new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/(?:at \S+|ready) (\S+)/);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`writer exited early with code ${code}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 400));
  child.kill('SIGKILL');
  const [, signal] = await once(child, 'exit');
  assert.equal(signal, 'SIGKILL');
  return line[1] === '-' ? null : line[1];
}

/** The run ended interrupted with its data whole, and another process can take it over. */
function assertInterruptedAndResumable(store: Store, runId: string): void {
  assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
  const run = store.getRun(runId);
  assert.equal(run.status, 'interrupted');
  assert.equal(run.pid, null);
  assert.match(run.failureReason ?? '', /engine process \(pid \d+\) ended/);
  const latest = store.latestCheckpoint(runId);
  if (latest && latest.paramCount === BIG_PARAMS) {
    // Not torn: every array of the last checkpoint is the one written for its step.
    for (const values of [latest.params, latest.ema!, latest.optimizer!.m, latest.optimizer!.v]) {
      assert.ok(values.every((v) => v === values[0]) && values[0] === latest.step);
    }
  }
  const claimed = store.claimRun(runId, process.pid);
  assert.equal(claimed.status, 'running');
  assert.equal(claimed.pid, process.pid);
  store.finishRun(runId, 'stopped');
}

describe('a run killed at each point of its lifecycle', () => {
  for (const stage of STAGES) {
    test(`killed ${stage}: absent or interrupted on reopen, and resumable`, async () => {
      const dir = tempDir();
      const runId = await killAt(dir, stage);
      const store = openStore(dir);
      try {
        if (runId === null) {
          assert.deepEqual(store.listRuns(), []);
          return;
        }
        assert.deepEqual(store.recovered, [runId]);
        assertInterruptedAndResumable(store, runId);
      } finally {
        store.close();
      }
    });
  }

  test('a store already open notices the dead owner without reopening (queued and running)', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    try {
      // One at a time: a writer that opens the store recovers the runs of the ones before it.
      for (const stage of ['after-create', 'training']) {
        const runId = (await killAt(dir, stage))!;
        assert.equal(store.getRun(runId).status, stage === 'training' ? 'running' : 'queued');
        assert.deepEqual(store.recoverOrphans(), [runId]);
        assertInterruptedAndResumable(store, runId);
      }
    } finally {
      store.close();
    }
  });

  test('watchOrphans sweeps on its interval and stops at close', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    try {
      const swept = new Promise<string[]>((resolve) => store.watchOrphans(50, resolve));
      const runId = await killAt(dir, 'after-create');
      // The sweep's timer is unref'd (it never keeps a process alive): hold the loop open here.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no sweep within 5 s')), 5000);
      });
      assert.deepEqual(await Promise.race([swept, timeout]), [runId]);
      clearTimeout(timer);
      assert.equal(store.getRun(runId!).status, 'interrupted');
    } finally {
      store.close();
    }
  });
});
