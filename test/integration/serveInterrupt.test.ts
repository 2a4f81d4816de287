/**
 * Ctrl-C on `flowlab serve` says which trainings it cut short and how to go on: a started one by
 * its run id and the resume command (and the run is indeed resumable), a waiting one as never
 * started.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../src-main/api/config.js';
import { RESUMABLE_STATUSES } from '../../src-main/api/schemas.js';
import { openStore } from '../../src-main/store/index.js';
import { TestClient, apiUrl } from '../unit/server/wsClient.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function longConfig(name: string) {
  const c = defaultConfig('moons', 1);
  c.net = { kind: 'mlp', width: 16, depth: 2, activation: 'silu', timeFrequencies: 2 };
  Object.assign(c.train, { steps: 1_000_000, batch: 64 });
  c.threads = 1;
  c.name = name;
  return c;
}

test('Ctrl-C on serve lists the interrupted and the waiting trainings, with how to resume', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowlab-serve-int-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/server/serveMain.ts', '--port', '0', '--data-dir', dataDir], { cwd: ROOT });
  let stdout = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stdout += b));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address printed: ${stdout}`)), 60_000);
      child.stdout.on('data', () => {
        const m = /http:\/\/\S+\?token=\w+/.exec(stdout);
        if (m) { clearTimeout(timer); resolve(new URL(m[0])); }
      });
    });
    const client = await TestClient.connect(apiUrl(Number(url.port), url.searchParams.get('token')!));
    await client.ok('train.start', { config: longConfig('long one') });
    const started = (await client.waitFor((e) => e.type === 'progress', 120_000)) as { runId: string };
    await client.ok('train.start', { config: longConfig('waiting one') });
    client.close();
    child.kill('SIGINT');
    assert.equal(await exited, 0, stdout);
    const tail = stdout.slice(stdout.indexOf('Stopped.'));
    assert.match(tail, /^Stopped\. These trainings were interrupted:/);
    assert.match(tail, new RegExp(`long one \\(run ${started.runId}, running\\): resume with \`flowlab train --resume ${started.runId} --data-dir "${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\``));
    assert.match(tail, /waiting one \(waiting, not started\): start it again from New experiment/);
    const store = openStore(dataDir);
    try {
      assert.ok(RESUMABLE_STATUSES.includes(store.getRun(started.runId).status), 'the run the message names can be resumed');
    } finally {
      store.close();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
