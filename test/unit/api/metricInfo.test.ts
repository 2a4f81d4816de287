import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparableFigures, evaluationKind, floorNote, formatFigure, fractionStdErr, isPairedKey, metricInfo, metricRows, METRIC_INFO } from '../../../src-main/api/metricInfo.js';
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

describe('tables that set runs side by side compare like with like', () => {
  const figures = (results: Record<string, number | null>, lists: Record<string, (number | null)[]> = {}, reasons: Record<string, string> = {}) => ({ results, reasons, lists });
  const full = figures({ n: 1000, nll: 2.9, klGap: 0.05, w2: 0.1 });
  const atHalf = figures({ n: 1000, at: 0.5, nll: 3.4 });
  const steps = figures({ n: 400, seconds: 150, stepsNfeConverged: 8, stepsReferenceKl: 0.049 }, { stepCounts: [2, 4], stepsEulerKl: [0.5, null] });
  const stepsNoBar = figures({ n: 500, stepsNfeConverged: null }, { stepCounts: [2, 4] }, { stepsNfeConverged: 'no sampler came within 0.02 nats' });

  test('an evaluation is a sampler-steps measurement, an NLL at a time T, or the run\'s figures', () => {
    assert.equal(evaluationKind(steps), 'steps');
    assert.equal(evaluationKind(atHalf), 'at');
    assert.equal(evaluationKind(full), 'figures');
    assert.equal(evaluationKind(figures({ at: 0, nll: 2.8 })), 'at');
  });

  test('the latest full figures, with the latest steps measurement\'s own figures beside them; an NLL at T never stands in for the run\'s NLL', () => {
    const older = figures({ n: 1000, nll: 3.1, klGap: 0.2 });
    const c = comparableFigures([older, full, stepsNoBar, atHalf, steps])!;
    assert.deepEqual(c.results, { n: 1000, nll: 2.9, klGap: 0.05, w2: 0.1, stepsNfeConverged: 8, stepsReferenceKl: 0.049 });
    // the steps measurement's own n and seconds do not overwrite the full evaluation's
    assert.deepEqual(comparableFigures([full, stepsNoBar])!.reasons, { stepsNfeConverged: 'no sampler came within 0.02 nats' });
    assert.equal(comparableFigures([atHalf]), null);
    assert.equal(comparableFigures([]), null);
    assert.deepEqual(comparableFigures([full, atHalf])!.results, full.results);
  });
});
