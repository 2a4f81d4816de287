/**
 * The API contract through the WebSocket door: a real server on loopback, a real store in a
 * temporary folder, real engine processes training a small net.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../src-main/server/startServer.js';
import { defaultConfig } from '../../../src-main/api/config.js';
import { TestClient, apiUrl } from './wsClient.js';

/** A net small enough that a few hundred steps take about a second on one core. */
function smallConfig(steps: number) {
  const c = defaultConfig('moons', 3);
  c.name = 'tiny moons';
  c.net = { kind: 'mlp', width: 32, depth: 2, activation: 'silu', timeFrequencies: 2 };
  c.train = { ...c.train, steps, batch: 256, warmupSteps: 10 };
  return c;
}

describe('the API through the WebSocket door', () => {
  let dataDir: string;
  let server: RunningServer;
  let client: TestClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'flowlab-ws-'));
    server = await startServer({ port: 0, dataDir, log: () => undefined });
    client = await TestClient.connect(apiUrl(server.port, server.token));
  });

  after(async () => {
    client.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the server listens on loopback and prints a URL carrying the token', () => {
    assert.match(server.url, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[0-9a-f]{64}$`));
  });

  test('a connection without the right token is refused', async () => {
    await assert.rejects(TestClient.connect(apiUrl(server.port, 'wrong')), /401/);
    await assert.rejects(TestClient.connect(`ws://127.0.0.1:${server.port}/api`), /401/);
  });

  test('a connection from another site\'s page is refused even with the token', async () => {
    await assert.rejects(TestClient.connect(apiUrl(server.port, server.token), { Origin: 'http://evil.example' }), /403/);
  });

  test('calls that break the contract get an "invalid" error naming the problem', async () => {
    const unknown = await client.call('runs.drop', {});
    assert.deepEqual(unknown.error, { kind: 'invalid', message: "unknown method 'runs.drop'" });
    const wrong = await client.call('train.start', { config: 'moons' });
    assert.equal(wrong.error?.kind, 'invalid');
    assert.match(wrong.error!.message, /args\.config/);
    const partial = await client.call('train.start', { config: { dataset: 'moons' } });
    assert.deepEqual(partial.error, { kind: 'user', message: 'train.seed must be a whole number from 0 to 4294967295, got nothing' });
  });

  test('an unreadable frame is answered, and the connection stays usable', async () => {
    client.sendRaw('{not json');
    const info = await client.ok('runs.list');
    assert.ok(Array.isArray(info));
  });

  test('an impossible setting is a user error with the validator\'s message', async () => {
    const c = smallConfig(100);
    c.train.lr = -1;
    const r = await client.call('train.start', { config: c });
    assert.equal(r.error?.kind, 'user');
    assert.equal(r.error!.message, 'train.lr must be a number greater than 0, got -1');
  });

  test('a Gaussian spec previews as points of its dimension; a malformed one is a user error at start', async () => {
    const p = await client.ok('datasets.preview', { name: 'gaussian:5,-5,0:0.01', n: 400, seed: 1 });
    assert.equal(p.n, 400);
    assert.equal(p.d, 3);
    const data = Float32Array.from(p.data as ArrayLike<number>);
    const mean = [0, 1, 2].map((j) => data.filter((_, i) => i % 3 === j).reduce((a, b) => a + b, 0) / 400);
    [5, -5, 0].forEach((m, j) => assert.ok(Math.abs(mean[j] - m) < 0.05, `mean ${mean}`));
    const c = smallConfig(100);
    c.dataset = 'gaussian:0,0:1,2,2,1';
    const r = await client.call('train.start', { config: c });
    assert.equal(r.error?.kind, 'user');
    assert.match(r.error!.message, /^dataset is not a valid Gaussian: 'gaussian:0,0:1,2,2,1': covariance is not positive definite/);
  });

  test('an unknown run is a user error', async () => {
    const r = await client.call('runs.get', { runId: 'r-19990101-0001' });
    assert.equal(r.error?.kind, 'user');
    assert.match(r.error!.message, /no run with id/);
  });

  test('a training streams started, loss, progress, samples and done; the store has every step', async () => {
    const steps = 300;
    const { jobId, position } = await client.ok('train.start', { config: smallConfig(steps) });
    assert.equal(position, 0);
    const started = await client.waitFor((e) => e.type === 'started');
    const runId = (started as { runId: string }).runId;
    const done = await client.waitFor((e) => e.type === 'done' && e.runId === runId);
    assert.equal((done as { summary: { status: string } }).summary.status, 'completed');
    // The final samples follow the run's end; the job leaves the queue after them.
    await client.waitFor((e) => e.type === 'jobs' && !e.jobs.some((j) => j.jobId === jobId));

    const lossSteps = client.events.filter((e) => e.type === 'loss' && e.runId === runId).flatMap((e) => (e as { steps: number[] }).steps);
    assert.deepEqual(lossSteps, Array.from({ length: steps }, (_, i) => i), 'every step reached the door once, in order');
    assert.ok(client.events.some((e) => e.type === 'progress' && e.runId === runId));
    const samples = client.events.filter((e) => e.type === 'samples' && e.runId === runId).at(-1) as { n: number; d: number; data: Float32Array };
    assert.ok(samples.data instanceof Float32Array);
    assert.equal(samples.data.length, samples.n * samples.d);

    const runs = await client.ok('runs.list');
    const run = runs.find((r: { id: string }) => r.id === runId);
    assert.equal(run.status, 'completed');
    assert.equal(run.stepsDone, steps);
    assert.equal(run.name, 'tiny moons');
    const metric = await client.ok('runs.metric', { runId, name: 'loss' });
    assert.ok(metric.steps instanceof Float64Array);
    assert.equal(metric.steps.length, steps);
    const stored = await client.ok('runs.samples', { runId });
    assert.equal(stored.d, 2);
    assert.ok(stored.n > 0);

    const csv = await client.ok('export.run', { runId, format: 'csv' });
    const rows = new TextDecoder().decode(csv.bytes).trim().split('\n');
    assert.equal(rows.length, stored.n + 1, 'a header and one row per sample');
    assert.equal(rows[1].split(',').length, 2);
    assert.equal(csv.size, csv.bytes.byteLength);

    const sampled = await client.ok('sample.run', { runId, n: 50, solver: 'rk4', steps: 10, snapshots: 6 });
    assert.equal(sampled.snapshots.t.length, 6);
    assert.equal(sampled.snapshots.t[0], 0);
    assert.equal(sampled.snapshots.xs[5].length, 100);
    assert.deepEqual([...sampled.snapshots.xs[5]], [...sampled.x], 'the last snapshot is the result');

    const field = await client.ok('sample.velocity', { runId, t: 0.5, points: new Float32Array([0, 0, 1, 1]), n: 2 });
    assert.equal(field.v.length, 4);
    assert.ok([...field.v].every(Number.isFinite));

    const updated = await client.ok('runs.update', { runId, tags: ['baseline', ' small '], notes: 'first try' });
    assert.deepEqual(updated.tags, ['baseline', 'small']);
    assert.equal(updated.notes, 'first try');

    await client.ok('runs.delete', { runId });
    const gone = await client.call('runs.get', { runId });
    assert.equal(gone.error?.kind, 'user');
  });

  test('importing a good CSV returns per-column stats; a bad one gives a user error and keeps nothing', async () => {
    const good = new TextEncoder().encode('a,b\n1,10\n3,10\n5,10\n7,10\n');
    const r = await client.ok('datasets.import', { fileName: 'points.csv', bytes: good });
    assert.equal(r.n, 4);
    assert.equal(r.d, 2);
    assert.deepEqual(r.columns.map((c: { name: string }) => c.name), ['a', 'b']);
    assert.equal(r.columns[0].mean, 4);
    assert.equal(r.columns[1].std, 0);

    const bad = new TextEncoder().encode('x,y\n1,2\n3,oops\n');
    const e = await client.call('datasets.import', { fileName: 'bad.csv', bytes: bad });
    assert.equal(e.error?.kind, 'user');
    assert.match(e.error!.message, /oops|not a finite number|number/);

    const wrongType = await client.call('datasets.import', { fileName: 'notes.txt', bytes: good });
    assert.match(wrongType.error!.message, /not a \.csv or \.npy file/);
  });

  test('settings are saved in the data folder and survive a new connection', async () => {
    await client.ok('settings.set', { threads: 2 });
    const other = await TestClient.connect(apiUrl(server.port, server.token));
    try {
      assert.deepEqual(await other.ok('settings.get'), { backend: 'auto', threads: 2 });
    } finally {
      other.close();
    }
  });

  test('app info names the door, the data folder and the backends', async () => {
    const info = await client.ok('app.info');
    assert.equal(info.door, 'server');
    assert.equal(info.dataDir, dataDir);
    assert.ok(info.backends.some((b: { name: string; available: boolean }) => b.name === 'cpu' && b.available));
  });
});
