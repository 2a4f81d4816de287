/**
 * The paper's samplers and figures reach both doors: SDE sampling (em, sde-heun with sdeEps) and
 * the likelihood at time T, through the CLI and through the app's API, on tiny trained runs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src-main/server/startServer.js';
import { TestClient, apiUrl } from '../unit/server/wsClient.js';
import { cli, lastJson } from '../helpers/cli.js';

const TINY = ['--steps', '300', '--batch', '128', '--width', '32', '--depth', '2', '--threads', '1', '--seed', '3'];

describe('SDE sampling and the likelihood at time T, through the CLI and the API', () => {
  const root = mkdtempSync(join(tmpdir(), 'flowlab-paper-doors-'));
  const dataDir = join(root, 'store');
  let runId = '';
  let dataBaseRunId = '';
  let server: RunningServer;
  let client: TestClient;

  before(async () => {
    const r = cli(['train', '--dataset', 'moons', ...TINY, '--json', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    runId = lastJson(r.stdout).runId as string;
    const d = cli(['train', '--dataset', 'moons', '--base', 'rings', '--steps', '5', '--width', '8', '--depth', '1', '--json', '--data-dir', dataDir]);
    assert.equal(d.code, 0, d.stderr);
    dataBaseRunId = lastJson(d.stdout).runId as string;
    server = await startServer({ port: 0, dataDir, log: () => undefined });
    client = await TestClient.connect(apiUrl(server.port, server.token));
  });
  after(async () => {
    client?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('flowlab sample --solver em|sde-heun --sde-eps E draws finite samples at 1 and 2 calls per step', () => {
    for (const [solver, perStep] of [['em', 1], ['sde-heun', 2]] as const) {
      const r = cli(['sample', '--run', runId, '--solver', solver, '--sde-eps', '0.5', '--steps', '40', '--n', '500', '--json', '--data-dir', dataDir]);
      assert.equal(r.code, 0, r.stderr);
      const out = lastJson(r.stdout);
      assert.equal(out.n, 500);
      assert.equal(out.nfe, 40 * perStep);
    }
  });

  test('the SDE samplers are refused with one line where they do not apply', () => {
    for (const [args, message] of [
      [['--run', runId, '--solver', 'rk4', '--sde-eps', '0.5'], /^error: --sde-eps applies to --solver em or sde-heun, not rk4$/],
      [['--run', runId, '--solver', 'em', '--sde-eps=-1'], /^error: --sde-eps must be at least 0, got -1$/],
      [['--run', runId, '--solver', 'em', '--reverse'], /^error: the em sampler only generates/],
      [['--run', dataBaseRunId, '--solver', 'sde-heun'], /^error: the sde-heun sampler needs a Gaussian base/],
    ] as const) {
      const r = cli(['sample', ...args, '--n', '100', '--data-dir', dataDir]);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr.trim(), message);
    }
  });

  test('sample.run with em: eps = 0 is Euler step for step, a seed reproduces the noise, eps > 0 adds it', async () => {
    const call = (args: Record<string, unknown>) => client.ok('sample.run', { runId, n: 300, steps: 30, seed: 11, ...args });
    const euler = await call({ solver: 'euler' });
    const em0 = await call({ solver: 'em', sdeEps: 0 });
    const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    assert.ok(maxDiff(euler.x, em0.x) < 1e-5, `em at eps 0 differs from euler by ${maxDiff(euler.x, em0.x)}`);
    const a = await call({ solver: 'em', sdeEps: 1 });
    const b = await call({ solver: 'em', sdeEps: 1 });
    const c = await call({ solver: 'em', sdeEps: 1, seed: 12 });
    assert.deepEqual(a.x, b.x);
    assert.ok(maxDiff(a.x, em0.x) > 0.05, 'eps = 1 adds noise');
    assert.ok(maxDiff(a.x, c.x) > 0.05, 'another seed, other noise');
    const refused = await client.call('sample.run', { runId, n: 10, solver: 'rk4', sdeEps: 0.5 });
    assert.deepEqual(refused.error, { kind: 'user', message: 'sdeEps applies to the SDE samplers (em, sde-heun), not to rk4' });
  });

  test('flowlab eval --at 0.5 gives a finite NLL in nats; a time outside [0, tMax] is refused with one line', () => {
    const r = cli(['eval', '--run', runId, '--at', '0.5', '--n', '200', '--solver', 'rk4', '--steps', '20', '--json', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    const out = lastJson(r.stdout);
    assert.equal(out.at, 0.5);
    assert.ok(Number.isFinite(out.nll), `nll ${out.nll}`);
    // rho_0.5 of trig (a = b = 0.71) spreads moons over a Gaussian of variance 0.5: its entropy
    // lies between the data's and the base's (2.84 nats), and a cross-entropy is above it
    assert.ok((out.nll as number) > 0.5 && (out.nll as number) < 4, `nll ${out.nll}`);
    for (const at of ['1.5', '-0.1']) {
      const bad = cli(['eval', '--run', runId, `--at=${at}`, '--data-dir', dataDir]);
      assert.equal(bad.code, 1);
      assert.equal(bad.stderr.trim(), `error: --at must be a time in [0, 1] (the trig interpolant's range), got ${at}`);
    }
  });

  test('flowlab eval --nfe: euler and rk4 samplers at 2 to 32 steps, scored by their exact densities, converge to the flow\'s likelihood', () => {
    const r = cli(['eval', '--run', runId, '--nfe', '--n', '200', '--json', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    const out = lastJson(r.stdout);
    assert.deepEqual(JSON.parse(out.stepCounts as string), [2, 4, 8, 16, 32]);
    // moons has no closed-form entropy: NLLs, not KL gaps
    assert.equal(out.stepsEulerKl, undefined);
    const euler = JSON.parse(out.stepsEulerNll as string) as number[];
    const rk4 = JSON.parse(out.stepsRk4Nll as string) as number[];
    const reference = out.stepsReferenceNll as number;
    assert.equal(euler.length, 5);
    assert.ok(Math.abs(rk4[4] - reference) < 0.02, `rk4-32 ${rk4[4]} against rk4-50 ${reference}`);
    assert.ok(euler[0] > euler[4], `euler: 2 steps ${euler[0]} should score worse than 32 steps ${euler[4]}`);
    assert.ok(Number.isInteger(out.stepsNfeConverged) && (out.stepsNfeConverged as number) <= 128, `converged from ${out.stepsNfeConverged}`);
    for (const key of ['stepsEulerEnergy', 'stepsRk4Energy']) assert.equal(JSON.parse(out[key] as string).length, 5);
    // the rk4-50 sampler's density is the flow's to O(h^4): the likelihood solve on the same points agrees
    const nll = lastJson(cli(['eval', '--run', runId, '--nll', '--n', '200', '--json', '--data-dir', dataDir]).stdout);
    assert.ok(Math.abs((nll.nll as number) - reference) < 0.01, `likelihood solve ${nll.nll} against the rk4-50 sampler ${reference}`);
    const text = cli(['eval', '--run', runId, '--nfe', '--n', '100', '--data-dir', dataDir]);
    assert.match(text.stdout, /Sampler steps\s+2\s+4\s+8\s+16\s+32/);
    assert.match(text.stdout, /rk4 sampler, NLL \(nats\)/);
    const both = cli(['eval', '--run', runId, '--nfe', '--at', '0.5', '--data-dir', dataDir]);
    assert.equal(both.code, 1);
    assert.equal(both.stderr.trim(), 'error: measure the NLL at a time T and the steps a sampler needs one at a time (pass at or nfe, not both)');
  });

  test('evaluate.run with nfe records the sampler curves; a dataset base gets energy distances and the reason for no density', async () => {
    const r = await client.ok('evaluate.run', { runId, n: 100, nfe: true });
    assert.deepEqual(r.lists.stepCounts, [2, 4, 8, 16, 32]);
    assert.equal(r.lists.stepsRk4Nll.length, 5);
    const stored = await client.ok('runs.evaluations', { runId });
    assert.deepEqual(stored.at(-1)!.lists.stepsRk4Nll, r.lists.stepsRk4Nll);
    const d = await client.ok('evaluate.run', { runId: dataBaseRunId, n: 100, nfe: true });
    assert.equal(d.lists.stepsEulerEnergy.length, 5);
    assert.equal(d.results.stepsKl, null);
    assert.match(d.reasons.stepsKl, /the base is a dataset with no density/);
  });

  test('evaluate.run with at reports the NLL at time T with its name and unit', async () => {
    const r = await client.ok('evaluate.run', { runId, n: 200, at: 0 });
    assert.equal(r.results.at, 0);
    // at T = 0 the points are base draws: the NLL is the standard normal's entropy, (d/2) ln(2 pi e) = 2.838 nats, within noise
    assert.ok(Math.abs(r.results.nll - Math.log(2 * Math.PI * Math.E)) < 4 * r.results.nllStdErr + 0.02, `nll ${r.results.nll}`);
  });
});
