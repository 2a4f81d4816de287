import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { figure, missing, target, valueOr } from '../../../../bench/lib/figures.mjs';

describe('benchmark figures', () => {
  test('ratio is FlowLab over the peer when both are measured', () => {
    const f = figure('train steps/s, batch 1024', 'steps/s', 60, 40, 'PyTorch eager');
    assert.equal(f.ratio, 1.5);
    assert.equal(f.flowlab, 60);
    assert.equal(f.peer, 40);
    assert.equal('peerMissing' in f, false);
  });

  test('a peer that cannot run is missing with its reason, never zero', () => {
    const f = figure('x', 'steps/s', 60, missing('torch not importable'), 'PyTorch eager');
    assert.equal(f.peer, null);
    assert.equal(f.peerMissing, 'torch not importable');
    assert.equal(f.ratio, null);
  });

  test('a non-finite measurement is reported as not measured rather than as a number', () => {
    const f = figure('x', 'steps/s', Number.NaN, 3, 'p');
    assert.equal(f.flowlab, null);
    assert.equal(f.flowlabMissing, 'not measured');
    assert.equal(f.ratio, null);
  });

  test('valueOr carries a failed run reason and a picked value of a good one', () => {
    assert.deepEqual(valueOr({ ok: false, reason: 'peer x: timed out after 60 s', seconds: 60 }, () => 1), missing('peer x: timed out after 60 s'));
    assert.equal(valueOr({ ok: true, value: { a: 7 }, seconds: 1 }, (v: { a: number }) => v.a), 7);
    assert.deepEqual(valueOr({ ok: true, value: {}, seconds: 1 }, () => undefined), missing('not reported'));
  });

  test('a target is met at its threshold and unknown without a value', () => {
    assert.equal(target('t', '>= 1.3x', 1.3, 1.3).met, true);
    assert.equal(target('t', '>= 1.3x', 1.29, 1.3).met, false);
    assert.equal(target('t', '>= 1.3x', null, 1.3).met, null);
  });
});

describe('figures where lower is better', () => {
  test('the ratio is peer over FlowLab, so above 1 still means FlowLab did better', () => {
    const f = figure('KL gap', 'nats', 0.05, 0.1, 'PyTorch eager', undefined, { lowerIsBetter: true });
    assert.equal(f.ratio, 2);
    assert.equal(f.lowerIsBetter, true);
  });

  test('no ratio when a lower-is-better value is not positive (an estimate at or below its floor)', () => {
    assert.equal(figure('KL gap', 'nats', -0.01, 0.1, 'p', undefined, { lowerIsBetter: true }).ratio, null);
  });
});
