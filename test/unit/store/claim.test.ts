import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { UserError } from '../../../src-main/errors.js';
import { openStore } from '../../../src-main/store/index.js';
import { race } from './race.js';
import { runInit, tempDir, tempStore } from './tempStore.js';

const CLAIMER = fileURLToPath(new URL('./fixtures/claimer.ts', import.meta.url));
const ROUNDS = 5;

/** The pid of a process that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;

const refusal = (pattern: RegExp) => (err: unknown) => err instanceof UserError && pattern.test(err.message);

describe('claiming a run to resume it', () => {
  test('a stopped, failed or interrupted run is claimed: running, owned by the claimer', () => {
    const { store } = tempStore();
    for (const status of ['stopped', 'failed', 'interrupted'] as const) {
      const id = store.createRun(runInit()).id;
      store.finishRun(id, status, 'why');
      const run = store.claimRun(id, 4242, 'here');
      assert.equal(run.status, 'running');
      assert.equal(run.pid, 4242);
      assert.equal(run.host, 'here');
      assert.equal(run.failureReason, null);
    }
  });

  test('a run held by a live process, or completed, is refused with who holds it', () => {
    const { store } = tempStore();
    const running = store.createRun(runInit()).id;
    store.markRunning(running, process.pid);
    assert.throws(() => store.claimRun(running, 1), refusal(new RegExp(`running in process ${process.pid}.*wait for it to end`)));
    const queued = store.createRun(runInit()).id;
    assert.throws(() => store.claimRun(queued, 1), refusal(/being started by process/));
    const remote = store.createRun(runInit()).id;
    store.markRunning(remote, 1, 'another-machine');
    assert.throws(() => store.claimRun(remote, 1), refusal(/on another-machine/));
    const done = store.createRun(runInit()).id;
    store.finishRun(done, 'completed');
    assert.throws(() => store.claimRun(done, 1), refusal(/already completed; start a new run/));
    assert.equal(store.getRun(running).pid, process.pid);
  });

  test('a run left queued, running or paused by a dead process is taken over', () => {
    const { store } = tempStore();
    const queued = store.createRun(runInit({ pid: deadPid() })).id;
    assert.equal(store.claimRun(queued, process.pid).status, 'running');
    const paused = store.createRun(runInit()).id;
    store.markRunning(paused, deadPid());
    store.markPaused(paused);
    assert.equal(store.claimRun(paused, process.pid).pid, process.pid);
  });

  test(`two processes resuming one run at once: exactly one claims it (${ROUNDS} rounds)`, async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const id = store.createRun(runInit()).id;
    store.finishRun(id, 'interrupted');
    store.close();
    for (let round = 0; round < ROUNDS; round++) {
      const results = await race(CLAIMER, [[dir, id], [dir, id]]);
      const outcomes = results.map((r) => r.stdout.split('\n')[1] ?? `exit ${r.code}: ${r.stderr}`);
      assert.equal(outcomes.filter((o) => o === 'claimed').length, 1, outcomes.join(' | '));
      assert.match(outcomes.find((o) => o !== 'claimed')!, new RegExp(`refused run ${id} is running in process \\d+`));
    }
  });
});
