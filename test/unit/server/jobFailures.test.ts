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
});
