/**
 * `interpolant: 'learned'` end to end: a path search fits the coefficients of a(t), b(t) by the
 * max-min beside a velocity of its own, the run's velocity then trains on the path found, and the
 * run records them, and the path they give from N(0, I) to
 * N((2, 0), 0.25 I) has a kinetic energy (closed form, SCIENCE.md section 7) well below trig's
 * 5.55 and toward W2^2 = 4.5; the run samples (also by SDE, whose score needs the learned a, b)
 * and evaluates at a time T; combinations the max-min does not cover are refused at their field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { learnedInterpolant, type LearnedCoefficients } from '../../src-main/engine/interpolants/learned.js';
import { coefficientsAt, trig, type Interpolant } from '../../src-main/engine/interpolants/schedules.js';
import { openStore } from '../../src-main/store/index.js';
import { searchSteps } from '../../src-main/service/interpolantLearner.js';
import { cli, lastJson } from '../helpers/cli.js';

const dataDir = join(mkdtempSync(join(tmpdir(), 'flowlab-learned-')), 'store');
const TARGET = 'gaussian:2,0:0.25';
const W2SQ = 4 + 2 * 0.5 ** 2;

/** KE = integral [ b'^2 |m|^2 + d (a a' + b b' s^2)^2 / (a^2 + b^2 s^2) ] dt for m = (2, 0), s^2 = 0.25, d = 2. */
function kineticEnergy(it: Interpolant): number {
  const K = 4000;
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const { a, b, da, db } = coefficientsAt(it, (k + 0.5) / K);
    sum += db * db * 4 + (2 * (a * da + b * db * 0.25) ** 2) / (a * a + b * b * 0.25);
  }
  return sum / K;
}

test('a learned-interpolant run records its coefficients, whose path is shorter than trig\'s', () => {
  const r = cli(['train', '--dataset', TARGET, '--interpolant', 'learned', '--steps', '4000', '--batch', '256', '--width', '64', '--depth', '2', '--threads', '1', '--seed', '1', '--json', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.stderr);
  const runId = lastJson(r.stdout).runId as string;
  const store = openStore(dataDir);
  let c: LearnedCoefficients;
  try {
    c = store.latestCheckpoint(runId)!.extra.interpolant as LearnedCoefficients;
    const beta1 = store.metricsSeries(runId, 'interpolant_beta_1');
    assert.ok(beta1.steps.length > 50);
    // the path search ends at half the steps; the run's velocity then trains on the path it found
    assert.ok(beta1.steps.at(-1)! <= searchSteps(4000) && searchSteps(4000) === 2000, `last coefficient step ${beta1.steps.at(-1)}`);
    assert.equal(c.beta[0], beta1.values.at(-1));
    assert.equal(c.alpha[3], store.metricsSeries(runId, 'interpolant_alpha_4').values.at(-1));
    assert.equal(store.latestCheckpoint(runId)!.step, 4000);
  } finally {
    store.close();
  }
  const trigKe = kineticEnergy(trig);
  const learnedKe = kineticEnergy(learnedInterpolant(c));
  assert.ok(learnedKe < trigKe - 0.5 * (trigKe - W2SQ), `learned KE ${learnedKe} vs trig ${trigKe}, W2^2 ${W2SQ}`);
  assert.ok(learnedKe >= W2SQ, `KE ${learnedKe} below W2^2`);

  const sde = cli(['sample', '--run', runId, '--solver', 'sde-heun', '--sde-eps', '0.5', '--n', '500', '--json', '--data-dir', dataDir]);
  assert.equal(sde.code, 0, sde.stderr);
  const at = cli(['eval', '--run', runId, '--at', '0.5', '--n', '200', '--solver', 'rk4', '--steps', '20', '--json', '--data-dir', dataDir]);
  assert.equal(at.code, 0, at.stderr);
  assert.ok(Number.isFinite(lastJson(at.stdout).nll));
});

test('the learned interpolant with a dataset base or OT pairs is refused at the field, with one line', () => {
  const small = ['--steps', '5', '--width', '8', '--depth', '1', '--data-dir', dataDir];
  const base = cli(['train', '--dataset', 'moons', '--base', 'rings', '--interpolant', 'learned', ...small]);
  assert.equal(base.code, 1);
  assert.equal(base.stderr.trim(), "error: --interpolant 'learned' needs the Gaussian base: its max-min draws base points from N(0, I)");
  const ot = cli(['train', '--dataset', 'moons', '--interpolant', 'learned', '--coupling', 'ot', ...small]);
  assert.equal(ot.code, 1);
  assert.equal(ot.stderr.trim(), 'error: --coupling must be independent with the learned interpolant (its max-min pairs points independently)');
});
