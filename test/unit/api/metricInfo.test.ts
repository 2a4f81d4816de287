import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { floorNote, formatFigure, fractionStdErr, isPairedKey, metricInfo, metricRows, METRIC_INFO } from '../../../src-main/api/metricInfo.js';
import { ROOT } from '../../helpers/cli.js';

const MODELS = join(ROOT, 'models');
import { evaluationText } from '../../../src-main/cli/eval.js';

describe('one table describes every evaluation figure', () => {
  test('every figure has a spelled-out name and a one-line explanation; paired keys are not rows', () => {
    for (const m of METRIC_INFO) {
      assert.ok(m.name.length > 3 && !/^[a-z]+[A-Z]/.test(m.name), m.key);
      assert.ok(m.explain.length > 10 && !m.explain.includes('\n'), m.key);
    }
    const rows = metricRows(['nllStdErr', 'nll', 'mmdFloor', 'mmd', 'brandNew']).map((r) => r.key);
    assert.deepEqual(rows, ['nll', 'mmd', 'brandNew']);
    assert.equal(metricInfo('klGap')!.unit, 'nats');
    assert.equal(metricInfo('bitsPerDim')!.unit, 'bits/dim');
  });

  test('every figure the shipped models record is described, standard errors and floors paired with their figure', () => {
    for (const f of readdirSync(MODELS).filter((n) => n.endsWith('.json'))) {
      const m = JSON.parse(readFileSync(join(MODELS, f), 'utf8')) as { metrics?: Record<string, number> };
      if (!m.metrics) continue;
      assert.deepEqual(metricRows(Object.keys(m.metrics)).filter((r) => !metricInfo(r.key)).map((r) => r.key), [], f);
    }
    assert.equal(metricInfo('bitsPerDim')!.stdErr, 'bitsPerDimStdErr');
    assert.ok(isPairedKey('confidentFractionStdErr'));
  });

  test('a fraction of n draws has standard error sqrt(p (1 - p) / n)', () => {
    assert.equal(fractionStdErr(0.5, 100), 0.05);
    assert.equal(fractionStdErr(0, 10), 0);
    assert.ok(Number.isNaN(fractionStdErr(0.5, 0)));
  });

  test('a negative MMD or one at its floor is explained as noise; one above its floor is not', () => {
    const mmd = metricInfo('mmd')!;
    assert.match(floorNote(mmd, -0.002, 0.001)!, /below 0.*noise/);
    assert.match(floorNote(mmd, 0.0009, 0.001)!, /floor.*noise/);
    assert.match(floorNote(mmd, 0.1, -0.001)!, /floor is below 0/);
    assert.equal(floorNote(mmd, 0.1, 0.001), null);
  });

  test('counts print as integers', () => {
    assert.equal(formatFigure(metricInfo('n'), 2000), '2000');
    assert.equal(formatFigure(metricInfo('nfe'), 68), '68');
    assert.equal(formatFigure(metricInfo('nll'), 2.345678), '2.346');
  });

  test('the CLI printout pairs the standard error, shows the floor and its note, and says why a figure is undefined', () => {
    const lines = evaluationText({ n: 400, nll: 2.5, nllStdErr: 0.03, mmd: -0.001, mmdFloor: 0.0005, bitsPerDim: null, bitsPerDimWhy: 'no density', nllOf: 'data' });
    assert.match(lines.find((l) => l.startsWith('Negative log-likelihood'))!, /\(nats\)\s+2\.5 ± 0\.03$/);
    assert.match(lines.find((l) => l.startsWith('Squared MMD'))!, /-0\.001\s+floor 5\.000e-4\s+\(below 0/);
    assert.match(lines.find((l) => l.startsWith('Bits per dimension'))!, /undefined: no density/);
    assert.match(lines.find((l) => l.startsWith('Points evaluated'))!, /\s400$/);
  });
});
