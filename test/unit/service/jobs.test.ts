import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FAILED_JOB_TTL_MS, JobQueue, MAX_WAITING_JOBS, type EngineProcess } from '../../../src-main/service/jobs.js';
import type { FromEngine, ToEngine } from '../../../src-main/api/protocol.js';
import type { ApiEvent } from '../../../src-main/api/events.js';
import { defaultConfig } from '../../../src-main/api/config.js';
import { UserError } from '../../../src-main/errors.js';

/** An engine process in memory: records what it is sent; the test answers for it. */
class ScriptedEngine implements EngineProcess {
  sent: ToEngine[] = [];
  private onMsg: (m: FromEngine) => void = () => undefined;
  private onExitFn: (code: number | null) => void = () => undefined;
  send(m: ToEngine): void {
    this.sent.push(m);
    if (m.type === 'shutdown') queueMicrotask(() => this.onExitFn(0));
  }
  onMessage(h: (m: FromEngine) => void): void { this.onMsg = h; }
  onExit(h: (code: number | null) => void): void { this.onExitFn = h; }
  kill(): void { this.onExitFn(null); }
  reply(m: FromEngine): void { this.onMsg(m); }
  crash(code: number): void { this.onExitFn(code); }
  jobs(): Extract<ToEngine, { type: 'job' }>[] {
    return this.sent.filter((m): m is Extract<ToEngine, { type: 'job' }> => m.type === 'job');
  }
}

function setup() {
  const engines: ScriptedEngine[] = [];
  const events: ApiEvent[] = [];
  const lost: string[] = [];
  const queue = new JobQueue({
    startEngine: () => {
      const e = new ScriptedEngine();
      engines.push(e);
      return e;
    },
    onEvent: (e) => events.push(e),
    onRunLost: (runId) => lost.push(runId),
  });
  return { queue, engines, events, lost };
}

const config = defaultConfig('moons', 0);

describe('the jobs queue', () => {
  test('jobs wait for the engine to be ready, then run one at a time in order', async () => {
    const { queue, engines } = setup();
    const a = queue.submit({ kind: 'train', config }, 'a');
    const b = queue.submit({ kind: 'train', config }, 'b');
    assert.equal(a.position, 0);
    assert.equal(b.position, 1);
    const engine = engines[0];
    assert.equal(engine.jobs().length, 0, 'nothing sent before ready');
    engine.reply({ type: 'ready', pid: 1 });
    assert.deepEqual(engine.jobs().map((j) => j.jobId), [a.jobId]);
    engine.reply({ type: 'result', jobId: a.jobId, result: 'A' });
    assert.equal(await a.done, 'A');
    assert.deepEqual(engine.jobs().map((j) => j.jobId), [a.jobId, b.jobId]);
    assert.deepEqual(queue.list().map((j) => [j.name, j.state]), [['b', 'running']]);
  });

  test('trainings and interactive jobs use separate engine processes', () => {
    const { queue, engines } = setup();
    queue.submit({ kind: 'train', config }, 't');
    queue.submit({ kind: 'sample', runId: 'r', n: 10, solver: 'rk4' }, 's');
    assert.equal(engines.length, 2);
  });

  test('a started event gives the job its run id; pause, unpause and stop reach the engine', () => {
    const { queue, engines, events } = setup();
    const job = queue.submit({ kind: 'train', config }, 't');
    const engine = engines[0];
    engine.reply({ type: 'ready', pid: 1 });
    engine.reply({ type: 'event', jobId: job.jobId, event: { type: 'started', runId: 'r-1', config } });
    assert.equal(queue.list()[0].runId, 'r-1');
    assert.ok(events.some((e) => e.type === 'started'));
    queue.control('r-1', 'pause');
    assert.equal(queue.list()[0].state, 'paused');
    queue.control('r-1', 'unpause');
    queue.control('r-1', 'stop');
    const controls = engine.sent.filter((m) => m.type === 'control').map((m) => (m as { action: string }).action);
    assert.deepEqual(controls, ['pause', 'unpause', 'stop']);
  });

  test('controlling a run that is not training is a user error', () => {
    const { queue } = setup();
    assert.throws(() => queue.control('r-9', 'pause'), UserError);
  });

  test('a queued job can be cancelled; a running training is asked to stop (resumably)', async () => {
    const { queue, engines } = setup();
    const a = queue.submit({ kind: 'train', config }, 'a');
    const b = queue.submit({ kind: 'train', config }, 'b');
    engines[0].reply({ type: 'ready', pid: 1 });
    queue.cancel(b.jobId);
    await assert.rejects(b.done, /cancelled/);
    queue.cancel(a.jobId);
    assert.deepEqual(engines[0].sent.at(-1), { type: 'control', jobId: a.jobId, action: 'stop' });
  });

  test('a running sample is cancelled by ending its engine; the next job gets a fresh one', async () => {
    const { queue, engines } = setup();
    const s = queue.submit({ kind: 'sample', runId: 'r', n: 1, solver: 'rk4' }, 's');
    const next = queue.submit({ kind: 'sample', runId: 'r', n: 1, solver: 'rk4' }, 'next');
    engines[0].reply({ type: 'ready', pid: 1 });
    queue.cancel(s.jobId);
    await assert.rejects(s.done, /was cancelled/);
    assert.equal(engines.length, 2, 'a fresh engine for the next job');
    engines[1].reply({ type: 'ready', pid: 2 });
    engines[1].reply({ type: 'result', jobId: next.jobId, result: 'ok' });
    assert.equal(await next.done, 'ok');
  });

  test(`the waiting list holds at most ${MAX_WAITING_JOBS} jobs per lane; past that a submit is refused in words`, () => {
    const { queue } = setup();
    for (let i = 0; i < MAX_WAITING_JOBS; i++) queue.submit({ kind: 'train', config }, `t${i}`).done.catch(() => undefined);
    assert.throws(() => queue.submit({ kind: 'train', config }, 'one too many'), /already holds 100 waiting trainings; wait for some/);
    const other = queue.submit({ kind: 'sample', runId: 'r', n: 1, solver: 'rk4' }, 'other lane');
    other.done.catch(() => undefined);
  });

  test('a training that fails before its run exists is announced with its reason and listed for a while', async () => {
    const { queue, engines, events } = setup();
    const a = queue.submit({ kind: 'train', config }, 'few rows');
    engines[0].reply({ type: 'ready', pid: 1 });
    engines[0].reply({ type: 'error', jobId: a.jobId, error: { kind: 'user', message: 'data.csv: only a single row of data; give at least 2\nstack' } });
    await assert.rejects(a.done);
    const event = events.find((e) => e.type === 'jobFailed');
    assert.ok(event && event.type === 'jobFailed');
    assert.equal(event.jobId, a.jobId);
    assert.equal(event.reason, 'data.csv: only a single row of data; give at least 2');
    assert.deepEqual(queue.listFailed().map((f) => [f.jobId, f.name]), [[a.jobId, 'few rows']]);
    assert.deepEqual(queue.listFailed(Date.now() + FAILED_JOB_TTL_MS + 1), [], 'forgotten after a while');
  });

  test('a user error from the engine arrives as a UserError', async () => {
    const { queue, engines } = setup();
    const job = queue.submit({ kind: 'sample', runId: 'r', n: 1, solver: 'rk4' }, 's');
    engines[0].reply({ type: 'ready', pid: 1 });
    engines[0].reply({ type: 'error', jobId: job.jobId, error: { kind: 'user', message: 'run r has no checkpoint' } });
    await assert.rejects(job.done, (e: unknown) => e instanceof UserError && /no checkpoint/.test((e as Error).message));
  });

  test('an engine that dies fails its training, reports the run lost, and the next job gets a fresh engine', async () => {
    const { queue, engines, events, lost } = setup();
    const a = queue.submit({ kind: 'train', config }, 'a');
    const b = queue.submit({ kind: 'train', config }, 'b');
    engines[0].reply({ type: 'ready', pid: 1 });
    engines[0].reply({ type: 'event', jobId: a.jobId, event: { type: 'started', runId: 'r-1', config } });
    engines[0].crash(137);
    await assert.rejects(a.done, /ended unexpectedly/);
    assert.deepEqual(lost, ['r-1']);
    assert.ok(events.some((e) => e.type === 'failed' && e.runId === 'r-1'));
    assert.equal(engines.length, 2);
    engines[1].reply({ type: 'ready', pid: 2 });
    assert.deepEqual(engines[1].jobs().map((j) => j.jobId), [b.jobId]);
  });

  test('close asks each engine to shut down and rejects waiting jobs', async () => {
    const { queue, engines } = setup();
    const a = queue.submit({ kind: 'train', config }, 'a');
    const b = queue.submit({ kind: 'train', config }, 'b');
    engines[0].reply({ type: 'ready', pid: 1 });
    await queue.close();
    await assert.rejects(b.done, /closing/);
    await assert.rejects(a.done, /closed before the job finished/);
    assert.ok(engines[0].sent.some((m) => m.type === 'shutdown'));
  });
});
