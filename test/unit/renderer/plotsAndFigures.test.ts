import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTick, niceTicks } from '../../../src-renderer/lib/charts/axes.js';
import { pcaProjection, principalAxes, projectionChoices } from '../../../src-renderer/lib/charts/projection.js';
import { byTrainingTime, lrSeries, meanOfLastSteps, secondsAt } from '../../../src-renderer/lib/charts/curves.js';
import { meanStd, seedGroups, sortByFigure, type TableRow } from '../../../src-renderer/lib/runsFigures.js';
import { downsampleCurves } from '../../../src-main/service/pretrainedHistory.js';
import type { RunRecordWire } from '../../../src-main/api/schemas.js';

const series = (x: number[], y: number[]) => ({ x: Float64Array.from(x), y: Float64Array.from(y), length: x.length });

describe('axes', () => {
  test('ticks are 1, 2 or 5 times a power of ten and cover the range', () => {
    assert.deepEqual(niceTicks(-4.2, 4.2), [-4, -2, 0, 2, 4]);
    niceTicks(0, 1).forEach((t, i) => assert.ok(Math.abs(t - i * 0.2) < 1e-12, `${t}`));
    assert.deepEqual(niceTicks(0, 1).map((v) => formatTick(v, niceTicks(0, 1))), ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    assert.deepEqual(niceTicks(0, 1000, 3), [0, 500, 1000]);
  });
});

describe('projection', () => {
  test('PCA of a tilted ellipse in 3-D finds its long axis first', () => {
    const n = 2000, d = 3;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const u = 3 * Math.cos(i), v = 0.5 * Math.sin(i);
      data.set([u + v, u - v, 0.1 * Math.sin(3 * i)], i * d);
    }
    const { axes } = principalAxes(data, n, d);
    const s = Math.SQRT1_2;
    assert.ok(Math.abs(Math.abs(axes[0][0] * s + axes[0][1] * s) - 1) < 1e-6, `first axis ${Array.from(axes[0])}`);
    assert.ok(Math.abs(Math.abs(axes[1][0] * s - axes[1][1] * s) - 1) < 1e-6, `second axis ${Array.from(axes[1])}`);
    const p = pcaProjection({ data, n, d }).apply(data, n, d);
    let var1 = 0, var2 = 0;
    for (let i = 0; i < n; i++) { var1 += p[2 * i] ** 2; var2 += p[2 * i + 1] ** 2; }
    assert.ok(var1 > 10 * var2, 'the first component carries the most variance');
  });

  test('every coordinate pair is offered, after PCA', () => {
    assert.deepEqual(projectionChoices(4).map((c) => c.value), ['pca', '0,1', '0,2', '0,3', '1,2', '1,3', '2,3']);
  });
});

describe('training curves', () => {
  test('training time is linear between recorded chunk ends and absent after the last', () => {
    const wall = series([9, 19], [1, 3]);
    assert.deepEqual(Array.from(secondsAt(wall, [-1, 4, 9, 14, 19, 20])).map((v) => (Number.isNaN(v) ? 'none' : v)), [0, 0.5, 1, 2, 3, 'none']);
    assert.equal(byTrainingTime(series([0, 9, 19, 25], [5, 4, 3, 2]), wall).length, 3);
  });

  test('the learning rate follows warmup then cosine decay to the floor', () => {
    const lr = lrSeries({ lr: 0.01, warmupSteps: 10, steps: 110, schedule: 'cosine', lrFloor: 0.1 }, series([0, 9, 10, 110], [0, 0, 0, 0]));
    assert.deepEqual(Array.from(lr.y).map((v) => Number(v.toPrecision(6))), [0.001, 0.01, 0.01, 0.001]);
  });

  test('the windowed loss is the mean of the last 100 steps, not the best minibatch', () => {
    const x = Array.from({ length: 300 }, (_, i) => i);
    const y = x.map((i) => (i === 250 ? 0 : i < 200 ? 10 : 2));
    assert.ok(Math.abs(meanOfLastSteps(series(x, y), 100)! - (2 * 99) / 100) < 1e-12);
  });

  test('shipped curves keep each bin\'s mean loss and the last training time', () => {
    const steps = Float64Array.from({ length: 1000 }, (_, i) => i);
    const c = downsampleCurves({
      loss: { steps, values: Float64Array.from(steps, (s) => (s % 2 ? 1 : 3)) },
      wall_s: { steps: Float64Array.from([499, 999]), values: Float64Array.from([5, 10]) },
    }, 10);
    assert.equal(c.step.length, 10);
    assert.deepEqual(c.series.loss, new Array(10).fill(2));
    assert.equal(c.step[4], 499);
    assert.equal(c.series.wall_s[4], 5);
    assert.equal(c.series.wall_s[9], 10);
  });
});

describe('runs table figures', () => {
  const run = (id: string, dataset: string, seed: number, width = 32): RunRecordWire => ({
    id, name: id, status: 'completed', config: { dataset, net: { width }, train: { seed, lr: 0.001 } }, seed, backend: 'cpu', appVersion: '0',
    onnxruntimeVersion: null, dataset, interpolant: 'trig', createdAt: '', updatedAt: '', startedAt: null, finishedAt: null,
    durationS: 1, stepsDone: 1, lastLoss: null, bestLoss: null, failureReason: null, tags: [], notes: '', pid: null, host: null,
  });
  const row = (r: RunRecordWire, loss: number | null): TableRow => ({ run: r, figures: { runId: r.id, recentLoss: loss, runningSince: null, evaluation: null } });

  test('sorting by a loss keeps each dataset\'s runs together', () => {
    const rows = [row(run('a', 'moons', 1), 1), row(run('b', 'checker', 1), 5), row(run('c', 'moons', 2), 0.5), row(run('d', 'checker', 2), 4)];
    assert.deepEqual(sortByFigure(rows, 'recentLoss', 'asc').map((r) => r.run.id), ['d', 'b', 'c', 'a']);
  });

  test('runs differing only in seed form a group with mean and sample std', () => {
    const rows = [row(run('a', 'moons', 1), 1), row(run('b', 'moons', 2), 3), row(run('c', 'moons', 3, 64), 7)];
    const groups = seedGroups(rows);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0].seeds, [1, 2]);
    assert.deepEqual(groups[0].stats.recentLoss, { mean: 2, std: Math.SQRT2, n: 2 });
    assert.equal(meanStd([null]), null);
  });
});

describe('sweeps', async () => {
  const { SWEEP_SETTINGS, parseSweepValues, sweepConfigs } = await import('../../../src-renderer/lib/wizard/sweep.js');
  const { defaultConfig } = await import('../../../src-main/api/config.js');
  const lr = SWEEP_SETTINGS.find((s) => s.path === 'train.lr')!;
  const seed = SWEEP_SETTINGS.find((s) => s.path === 'train.seed')!;

  test('values are distinct numbers, two to twenty, whole where the setting is', () => {
    assert.deepEqual(parseSweepValues('0.001, 0.003', lr), [0.001, 0.003]);
    assert.equal(parseSweepValues('1', seed), 'a sweep needs at least two values, separated by commas');
    assert.equal(parseSweepValues('1, 1.5', seed), "seed values must be whole numbers, got '1.5'");
    assert.equal(parseSweepValues('2, 2', seed), 'each value once: 2 is listed twice');
  });

  test('each config differs from the base in the swept setting and its name only', () => {
    const base = defaultConfig('moons', 1);
    const [a, b] = sweepConfigs(base, 'moons', lr, [0.01, 0.02]);
    assert.equal(a.train.lr, 0.01);
    assert.equal(b.name, 'moons · lr=0.02');
    assert.deepEqual({ ...b, name: undefined, train: { ...b.train, lr: base.train.lr } }, { ...base, name: undefined });
  });
});
