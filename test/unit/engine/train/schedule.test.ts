import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learningRate, warmupSteps } from '../../../../src-main/engine/train/schedule.js';

const base = { lr: 2e-3, warmupSteps: 100, steps: 1100, schedule: 'cosine' as const };
const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b), `${msg}: ${a} vs ${b}`);

test('warmup rises linearly to lr, then cosine decays to lrFloor x lr', () => {
  const c = { ...base, lrFloor: 0.1 };
  close(learningRate(c, 0), 2e-3 / 100, 'first step');
  close(learningRate(c, 49), 2e-3 * 0.5, 'half-way through warmup');
  close(learningRate(c, 100), 2e-3, 'peak after warmup');
  // p = 1/2: the cosine term is 1/2, so lr (f + (1 - f) / 2)
  close(learningRate(c, 600), 2e-3 * (0.1 + 0.9 * 0.5), 'mid-decay');
  close(learningRate(c, 1100), 2e-3 * 0.1, 'end of the run');
  for (let s = 100; s < 1100; s++) assert.ok(learningRate(c, s + 1) <= learningRate(c, s), `decays monotonically at ${s}`);
});

test('a config recorded without lrFloor decays to zero, as it was trained', () => {
  close(learningRate(base, 1100), 0, 'end');
  close(learningRate(base, 600), 1e-3, 'mid-decay');
});

test('lrFloor 1 is a constant rate after warmup; the constant schedule ignores the floor', () => {
  for (const s of [100, 400, 1099]) close(learningRate({ ...base, lrFloor: 1 }, s), 2e-3, `floor 1 at ${s}`);
  close(learningRate({ ...base, schedule: 'constant', lrFloor: 0.1 }, 1000), 2e-3, 'constant');
});

test('warmup is capped at a fifth of a short run', () => {
  assert.equal(warmupSteps({ warmupSteps: 500, steps: 1000 }), 200);
  assert.equal(warmupSteps({ warmupSteps: 50, steps: 1000 }), 50);
});
