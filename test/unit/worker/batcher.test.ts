import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBatcher, type Timers } from '../../../src-main/worker/batcher.js';
import type { ApiEvent } from '../../../src-main/api/events.js';

function manualTimers(): Timers & { fire(): void; armed(): boolean } {
  let fn: (() => void) | null = null;
  return {
    setInterval: (f) => ((fn = f), 1),
    clearInterval: () => void (fn = null),
    fire: () => fn?.(),
    armed: () => fn !== null,
  };
}

describe('engine event batching', () => {
  test('losses between flushes are concatenated: every step reaches the chart in one event', () => {
    const out: ApiEvent[] = [];
    const timers = manualTimers();
    const b = new EventBatcher((e) => out.push(e), timers);
    b.push({ type: 'loss', runId: 'r', steps: [0, 1], losses: [1, 0.9] });
    b.push({ type: 'loss', runId: 'r', steps: [2], losses: [0.8] });
    assert.equal(out.length, 0, 'nothing is sent before the flush');
    timers.fire();
    assert.deepEqual(out, [{ type: 'loss', runId: 'r', steps: [0, 1, 2], losses: [1, 0.9, 0.8] }]);
  });

  test('progress and samples keep only the latest of each', () => {
    const out: ApiEvent[] = [];
    const timers = manualTimers();
    const b = new EventBatcher((e) => out.push(e), timers);
    for (let s = 1; s <= 5; s++) b.push({ type: 'progress', runId: 'r', step: s, steps: 10, stepsPerSec: 1, etaSeconds: 1 });
    b.push({ type: 'samples', runId: 'r', step: 3, n: 1, d: 2, data: new Float32Array(2) });
    b.push({ type: 'samples', runId: 'r', step: 5, n: 1, d: 2, data: new Float32Array(2) });
    timers.fire();
    assert.equal(out.length, 2);
    assert.equal((out[0] as { step: number }).step, 5);
    assert.equal((out[1] as { step: number }).step, 5);
  });

  test('done goes out at once, after what was pending, with a non-finite final loss as null', () => {
    const out: ApiEvent[] = [];
    const timers = manualTimers();
    const b = new EventBatcher((e) => out.push(e), timers);
    b.push({ type: 'loss', runId: 'r', steps: [9], losses: [Number.NaN] });
    b.push({ type: 'done', runId: 'r', summary: { runId: 'r', status: 'failed', steps: 9, finalLoss: Number.NaN, seconds: 1, stepsPerSec: 9, backend: 'cpu' } });
    assert.deepEqual(out.map((e) => e.type), ['loss', 'done']);
    assert.deepEqual((out[0] as { losses: unknown[] }).losses, [null]);
    assert.equal((out[1] as { summary: { finalLoss: unknown } }).summary.finalLoss, null);
    assert.equal(timers.armed(), false, 'no timer left running');
  });

  test('a flush with nothing pending sends nothing', () => {
    const out: ApiEvent[] = [];
    const b = new EventBatcher((e) => out.push(e), manualTimers());
    b.flush();
    assert.equal(out.length, 0);
  });
});
