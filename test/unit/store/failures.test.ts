import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { UserError } from '../../../src-main/errors.js';
import { storeFailure } from '../../../src-main/store/failures.js';
import { DATABASE_FILE, openStore, type OpenOptions } from '../../../src-main/store/index.js';
import { REPO_ROOT } from './race.js';
import { runInit, tempDir } from './tempStore.js';

const sentence = (pattern: RegExp) => (err: unknown) =>
  err instanceof UserError && pattern.test(err.message) && !err.message.includes('\n');

/** A closed store holding one run with a few checkpoints (several pages of data). */
function filledStore(): { dir: string; file: string; runId: string } {
  const dir = tempDir();
  const store = openStore(dir);
  const runId = store.createRun(runInit()).id;
  const params = new Float32Array(20_000).fill(0.25);
  for (let step = 1; step <= 3; step++) {
    store.saveCheckpoint(runId, { step, params, rngState: null }, { keep: true });
  }
  store.finishRun(runId, 'completed');
  store.close();
  return { dir, file: join(dir, DATABASE_FILE), runId };
}

describe("the store's failures read as one sentence", () => {
  test('busy: a write lock held past the busy timeout says another process holds it', async () => {
    const { dir, file, runId } = filledStore();
    // Another process takes the write lock and keeps it.
    const holder = spawn(process.execPath, ['-e', `
      const db = new (require('better-sqlite3'))(${JSON.stringify(file)});
      db.exec('BEGIN IMMEDIATE'); console.log('locked'); setTimeout(() => {}, 20000);`], {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'],
    });
    after(() => holder.kill('SIGKILL'));
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    const store = openStore(dir, { busyTimeoutMs: 200 });
    try {
      assert.equal(store.getRun(runId).status, 'completed'); // readers are not blocked
      assert.throws(() => store.setNotes(runId, 'x'), sentence(/locked by another FlowLab process .* for over 0.2 s; let it finish or close it, then try again/));
    } finally {
      store.close();
    }
  });

  test('full: a write that finds no room says the disk is full and what to do', () => {
    const { dir, runId } = filledStore();
    const store = openStore(dir);
    try {
      // SQLite's own limit on the file's size gives the SQLITE_FULL a full disk gives.
      store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true })}`);
      const params = new Float32Array(100_000);
      assert.throws(() => store.saveCheckpoint(runId, { step: 9, params, rngState: null }, { keep: true }),
        sentence(/disk holding .*flowlab.sqlite is full \(SQLITE_FULL\); free some space.*--data-dir/));
      assert.equal(store.listCheckpoints(runId).length, 3);
    } finally {
      store.close();
    }
    let enospc: unknown;
    try {
      writeFileSync('/dev/full', 'x');
    } catch (err) {
      enospc = err;
    }
    assert.ok(sentence(/is full \(ENOSPC\)/)(storeFailure(enospc, 'f', 1000)));
  });

  test('damaged: a garbled or truncated file is refused on open with how to recover', () => {
    for (const damage of ['garble', 'truncate']) {
      const { dir, file } = filledStore();
      const size = readFileSync(file).length;
      if (damage === 'truncate') truncateSync(file, Math.floor(size / 2));
      else {
        // Overwrite pages past the schema (page 1) with noise, keeping the header valid.
        const fd = openSync(file, 'r+');
        writeSync(fd, Buffer.alloc(3 * 4096, 0x5a), 0, 3 * 4096, 4096 * 3);
        closeSync(fd);
      }
      assert.throws(() => openStore(dir), sentence(/is damaged \(.+\); close FlowLab, move flowlab.sqlite .* restore a backup copy/), damage);
    }
  });

  test('a SQLite file that is not FlowLab\'s is refused and left untouched', () => {
    const dir = tempDir();
    const file = join(dir, DATABASE_FILE);
    const other = new Database(file);
    other.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (1)');
    other.close();
    assert.throws(() => openStore(dir), sentence(/is a SQLite database but not a FlowLab store \(schema version 0, tables: notes\); move it out of the data folder/));
    const again = new Database(file);
    assert.deepEqual(again.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(), ['notes']);
    again.close();
  });
});

describe('a read-only store can be listed and exported from', () => {
  function assertReadOnly(dir: string, runId: string, reason: RegExp, options: OpenOptions = {}): void {
    const store = openStore(dir, options);
    try {
      assert.ok(store.readOnly);
      assert.match(store.readOnlyReason ?? '', reason);
      assert.deepEqual(store.listRuns().map((r) => r.id), [runId]);
      assert.equal(store.latestCheckpoint(runId)?.step, 3);
      assert.equal(store.addArtifact(runId, 'json', '/tmp/out.json').id, 0);
      assert.throws(() => store.setNotes(runId, 'x'), sentence(/is read-only \(.+\), so runs can be listed and exported but not changed; make the data folder writable/));
    } finally {
      store.close();
    }
  }

  test('asked for: readOnly opens without writing anything', () => {
    const { dir, file, runId } = filledStore();
    const before = readFileSync(file);
    assertReadOnly(dir, runId, /opened read-only/, { readOnly: true });
    assert.deepEqual(readFileSync(file), before);
  });

  // Tests run as root, where chmod stops no write: an immutable file and folder (chattr +i) and a
  // read-only bind mount are what stop root. Skipped where those cannot be set up.
  test('an immutable data folder and file (chattr +i)', (t) => {
    const { dir, file, runId } = filledStore();
    if (spawnSync('chattr', ['+i', dir, file]).status !== 0) return t.skip('chattr +i is not available here');
    try {
      assertReadOnly(dir, runId, /is not writable: EPERM/);
    } finally {
      spawnSync('chattr', ['-i', dir, file]);
    }
  });

  test('a read-only mount of the data folder', (t) => {
    const { dir, runId } = filledStore();
    const mountPoint = tempDir();
    if (spawnSync('mount', ['--bind', '-o', 'ro', dir, mountPoint]).status !== 0) return t.skip('cannot mount here');
    try {
      // Some kernels ignore ro on the first bind: remount to be sure.
      spawnSync('mount', ['-o', 'remount,ro,bind', mountPoint]);
      assertReadOnly(mountPoint, runId, /is not writable: EROFS/);
    } finally {
      spawnSync('umount', [mountPoint]);
    }
  });
});
