/**
 * The desktop app's file dialog, with the dialog itself injected (the Electron binary cannot run
 * here): what the user picks is checked, copied into the imports folder and read by a real
 * engine process; a cancel changes nothing; a pipe or a device picked by mistake is refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createApp, type App } from '../../../src-main/service/createApp.js';
import { forkEngine } from '../../../src-main/server/forkEngine.js';

describe('datasets.choose (Electron open dialog)', () => {
  let dataDir: string;
  let outside: string;
  let app: App;
  let picked: string | null = null;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'flowlab-choose-'));
    outside = mkdtempSync(join(tmpdir(), 'flowlab-picked-'));
    app = createApp({
      dataDir,
      door: 'electron',
      startEngine: () => forkEngine(dataDir),
      onEvent: () => undefined,
      chooseDataFile: async () => picked,
      log: () => undefined,
    });
  });

  after(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  test('the picked file is imported into the data folder; the copy is what a page may then use', async () => {
    picked = join(outside, 'my points.csv');
    writeFileSync(picked, 'u,v\n1,2\n3,4\n5,6\n');
    const r = await app.dispatch('datasets.choose', {});
    assert.ok(r.ok, JSON.stringify(r));
    const result = (r as { result: { path: string; n: number; d: number } }).result;
    assert.equal(result.n, 3);
    assert.equal(dirname(result.path), join(dataDir, 'imports'));
    assert.equal(readFileSync(result.path, 'utf8'), 'u,v\n1,2\n3,4\n5,6\n');
    const preview = await app.dispatch('datasets.preview', { name: result.path, n: 2, seed: 1 });
    assert.ok(preview.ok);
    const refused = await app.dispatch('datasets.preview', { name: picked, n: 2, seed: 1 });
    assert.equal(refused.ok, false, 'the original outside the data folder is still not readable by name');
  });

  test('a cancelled dialog returns null', async () => {
    picked = null;
    const r = await app.dispatch('datasets.choose', {});
    assert.deepEqual(r, { ok: true, result: null });
  });

  test('a FIFO, a device, a folder or a text file picked by mistake is refused at once', async () => {
    execFileSync('mkfifo', [join(outside, 'pipe.csv')]);
    for (const [path, message] of [
      [join(outside, 'pipe.csv'), /not a regular file/],
      ['/dev/zero', /not a \.csv or \.npy file/],
      [outside + '/', /not a \.csv or \.npy file/],
      ['/etc/hosts', /not a \.csv or \.npy file/],
    ] as const) {
      picked = path;
      const started = Date.now();
      const r = await app.dispatch('datasets.choose', {});
      assert.equal(r.ok, false, path);
      assert.match((r as { error: { message: string } }).error.message, message);
      assert.ok(Date.now() - started < 2000, `${path} took ${Date.now() - started} ms`);
    }
  });
});
