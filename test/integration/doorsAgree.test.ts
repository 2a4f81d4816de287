/**
 * A run is the same run whichever door started it: the CLI and the app's API (the server's
 * handlers, a real engine process, real stores) record the same config and both give previews
 * and final samples; and a value out of range is refused with one message by the wizard, the
 * API and the CLI, each naming the field its own way.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMlpConfig, type ExperimentConfig } from '../../src-main/api/config.js';
import { startServer, type RunningServer } from '../../src-main/server/startServer.js';
import { openStore } from '../../src-main/store/index.js';
import { checkConfig } from '../../src-renderer/lib/wizard/configFields.js';
import { TestClient, apiUrl } from '../unit/server/wsClient.js';
import { cli, lastJson } from '../helpers/cli.js';

const STEPS = 200;
const SEED = 7;

/** The config the CLI flags below describe. */
function sharedConfig(): ExperimentConfig {
  const c = defaultMlpConfig('moons', SEED);
  c.name = 'same run';
  c.train.steps = STEPS;
  c.train.batch = 64;
  c.net.width = 32;
  c.net.depth = 2;
  c.threads = 1;
  return c;
}
const CLI_FLAGS = ['--dataset', 'moons', '--seed', String(SEED), '--name', 'same run', '--steps', String(STEPS), '--batch', '64', '--width', '32', '--depth', '2', '--threads', '1'];

describe('the CLI and the app run the same run', () => {
  const root = mkdtempSync(join(tmpdir(), 'flowlab-doors-'));
  const cliDir = join(root, 'cli');
  const appDir = join(root, 'app');
  let server: RunningServer;
  let client: TestClient;

  before(async () => {
    server = await startServer({ port: 0, dataDir: appDir, log: () => undefined });
    client = await TestClient.connect(apiUrl(server.port, server.token));
  });
  after(async () => {
    client?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('the same config from both doors: the same recorded config, previews and final samples', async () => {
    const r = cli(['train', ...CLI_FLAGS, '--json', '--data-dir', cliDir]);
    assert.equal(r.code, 0, r.stderr);
    const cliRunId = lastJson(r.stdout).runId as string;

    await client.ok('train.start', { config: sharedConfig() });
    const started = await client.waitFor((e) => e.type === 'started');
    const appRunId = (started as { runId: string }).runId;
    await client.waitFor((e) => e.type === 'done');
    // the final samples are drawn after 'done'; the job ends once they are saved
    await client.waitFor((e) => e.type === 'jobs' && e.jobs.length === 0);

    const recorded = (dir: string, runId: string) => {
      const store = openStore(dir);
      try {
        const run = store.getRun(runId);
        return {
          config: run.config,
          status: run.status,
          stepsDone: run.stepsDone,
          preview: store.latestSamples(runId, 'preview'),
          final: store.latestSamples(runId, 'final'),
        };
      } finally {
        store.close();
      }
    };
    const fromCli = recorded(cliDir, cliRunId);
    const fromApp = recorded(appDir, appRunId);
    assert.deepEqual(fromCli.config, fromApp.config);
    assert.deepEqual(fromApp.config, { ...sharedConfig(), net: { ...sharedConfig().net, kind: 'mlp' } });
    for (const [door, run] of [['CLI', fromCli], ['app', fromApp]] as const) {
      assert.equal(run.status, 'completed', door);
      assert.equal(run.stepsDone, STEPS, door);
      assert.ok(run.preview && run.preview.n > 0 && run.preview.d === 2, `${door} run has previews`);
      assert.ok(run.final && run.final.n === 2000 && run.final.d === 2, `${door} run has final samples`);
    }
    // one seed, one backend: the same losses, so the same final samples
    assert.deepEqual(fromCli.final!.data, fromApp.final!.data);
  });

  for (const [field, flag, value, message] of [
    ['train.lr', 'lr', -1, 'must be a number greater than 0, got -1'],
    ['train.batch', 'batch', 0, 'must be a whole number from 1 to 1048576, got 0'],
  ] as const) {
    test(`${field} = ${value} is refused with one message: at its field in the wizard and the API, as --${flag} in the CLI`, async () => {
      const c = sharedConfig();
      const [section, key] = field.split('.') as ['train', 'lr' | 'batch'];
      c[section][key] = value;

      assert.deepEqual(checkConfig(c), { field, message: `${field} ${message}` });

      const api = await client.call('train.start', { config: c });
      assert.deepEqual(api.error, { kind: 'user', message: `${field} ${message}` });

      const r = cli(['train', ...CLI_FLAGS, `--${flag}=${value}`, '--data-dir', cliDir]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `error: --${flag} ${message}`);
    });
  }
});
