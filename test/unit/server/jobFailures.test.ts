/**
 * Through the API, with the real server and engine processes: a training that fails before its
 * run exists says why (event and list, for a page that opens late), and a long sample job is
 * cancelled promptly, after which the engine's lane answers the next job.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../src-main/server/startServer.js';
import { TestClient, apiUrl } from './wsClient.js';

const csv = (text: string) => new TextEncoder().encode(text);

describe('jobs through the API', () => {
  let dataDir: string;
  let server: RunningServer;
  let client: TestClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'flowlab-jobs-'));
    server = await startServer({ port: 0, dataDir, log: () => undefined });
    client = await TestClient.connect(apiUrl(server.port, server.token));
  });

  after(async () => {
    client.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a training that fails before its run exists reaches the client with its one-line reason', async () => {
    const cases: [string, Uint8Array, Record<string, unknown>, RegExp][] = [
      ['a base of another dimension', csv('a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n'), { base: 'moons' }, /dimension|3-D|2-D/],
      ['too few rows', csv('a,b\n1,2\n3,4\n'), {}, /rows|held/],
    ];
    for (const [name, bytes, extra, reason] of cases) {
      const imported = await client.ok('datasets.import', { fileName: 'data.csv', bytes });
      const { jobId } = await client.ok('train.start', { config: { dataset: imported.path, ...extra, train: { seed: 1, steps: 10 } } });
      const event = (await client.waitFor((e) => e.type === 'jobFailed' && e.jobId === jobId, 60_000)) as { reason: string };
      assert.match(event.reason, reason, name);
      assert.equal(event.reason.includes('\n'), false, name);
      // A page that opens after the failure still finds it.
      const late = await TestClient.connect(apiUrl(server.port, server.token));
      try {
        const failed = (await late.ok('jobs.failed')) as { jobId: string; reason: string }[];
        assert.equal(failed.find((f) => f.jobId === jobId)?.reason, event.reason, name);
      } finally {
        late.close();
      }
    }
  });

  test('a running sample job is cancelled within two seconds and the lane then answers the next job', async () => {
    const [model] = await client.ok('pretrained.list');
    const run = await client.ok('pretrained.import', { name: model.name });
    // 10^6 points through 10,000 RK4 steps: far longer than this test waits.
    const long = client.call('sample.run', { runId: run.id, n: 1_000_000, solver: 'rk4', steps: 10_000 });
    let jobId = '';
    for (let i = 0; i < 300 && !jobId; i++) {
      const jobs = (await client.ok('jobs.list')) as { jobId: string; kind: string; state: string }[];
      jobId = jobs.find((j) => j.kind === 'sample' && j.state === 'running')?.jobId ?? '';
      if (!jobId) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(jobId, 'the sample job started');
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    await client.ok('jobs.cancel', { jobId });
    const reply = await long;
    const took = Date.now() - started;
    assert.equal(reply.ok, false);
    assert.equal(reply.error?.kind, 'user');
    assert.match(reply.error!.message, /was cancelled/);
    assert.ok(took < 2000, `cancelling took ${took} ms`);
    const next = await client.ok('sample.run', { runId: run.id, n: 100, solver: 'euler', steps: 5 });
    assert.equal(next.n, 100);
  });

  test('a job whose memory estimate is over the limit is refused with the estimate and how to reduce it', async () => {
    const [model] = await client.ok('pretrained.list');
    const run = await client.ok('pretrained.import', { name: model.name });
    const started = Date.now();
    // 10^6 points x 10,001 recorded states x 2-D: 80 GB, which once got the engine killed.
    const sample = await client.call('sample.run', { runId: run.id, n: 1_000_000, solver: 'euler', steps: 10_000, snapshots: 51 });
    assert.equal(sample.error?.kind, 'user');
    assert.match(sample.error!.message, /^this sampling would need about 74\.6 GB \(n 1,000,000 x d 2 x 10,001 recorded states as float32\), more than the 4\.0 GB a job may use; lower n or steps/);
    assert.ok(Date.now() - started < 10_000);
    const { jobId } = await client.ok('train.start', {
      config: { dataset: 'moons', net: { width: 8192, depth: 64 }, train: { seed: 1, steps: 10, batch: 65_536 } },
    });
    const failed = (await client.waitFor((e) => e.type === 'jobFailed' && e.jobId === jobId, 60_000)) as { reason: string };
    assert.match(failed.reason, /^this training would need about [\d.]+ GB \(.*parameters x 5 copies.*\), more than the 4\.0 GB a job may use; lower net\.width, net\.depth or train\.batch/);
    const next = await client.ok('sample.run', { runId: run.id, n: 100, solver: 'euler', steps: 5 });
    assert.equal(next.n, 100, 'the engine lanes answer afterwards');
  });
});
