// The CLI on a store it cannot write or cannot trust: one line saying what is wrong and what to
// do, and a read-only store still lists and exports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DATABASE_FILE } from '../../src-main/store/index.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-storeerr-'));
after(() => {
  spawnSync('chattr', ['-R', '-i', dir]);
  rmSync(dir, { recursive: true, force: true });
});

const TINY = ['--dataset', 'moons', '--width', '16', '--depth', '1', '--batch', '64', '--steps', '20', '--threads', '1'];

/** A data folder holding one completed run; returns its id. */
function trainedFolder(name: string): { dataDir: string; runId: string } {
  const dataDir = join(dir, name);
  const r = cli(['train', ...TINY, '--data-dir', dataDir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return { dataDir, runId: JSON.parse(r.stdout.trim().split('\n').at(-1)!).runId };
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

describe('the CLI on a damaged or read-only store', () => {
  test('a damaged store: one line naming the file and how to recover', () => {
    const { dataDir } = trainedFolder('damaged');
    const file = join(dataDir, DATABASE_FILE);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const r = cli(['runs', '--data-dir', dataDir]);
    assert.equal(r.code, 1);
    const lines = oneLine(r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^error: the store .*flowlab.sqlite is damaged .*restore a backup copy/);
  });

  // Run as root, chmod stops no write: chattr +i (immutable folder and file) does.
  test('a read-only store lists and exports; training there says writes are unavailable', (t) => {
    const { dataDir, runId } = trainedFolder('readonly');
    if (spawnSync('chattr', ['+i', dataDir, join(dataDir, DATABASE_FILE)]).status !== 0) return t.skip('chattr +i is not available here');
    const list = cli(['runs', '--data-dir', dataDir]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(runId));
    const out = join(dir, 'run.json');
    const exported = cli(['export', '--run', runId, '--format', 'json', '--out', out, '--data-dir', dataDir]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.ok(existsSync(out));
    const train = cli(['train', ...TINY, '--data-dir', dataDir]);
    assert.equal(train.code, 1);
    const lines = oneLine(train.stderr);
    assert.equal(lines.length, 1, train.stderr);
    assert.match(lines[0], /^error: the store .* is read-only \(.* is not writable: EPERM\), so runs can be listed and exported but not changed/);
  });
});
