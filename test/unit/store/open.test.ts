import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../../src-main/errors.js';
import { DATABASE_FILE, openStore } from '../../../src-main/store/index.js';
import { tempDir } from './tempStore.js';

describe('opening the store', () => {
  test('creates missing folders and the database file', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const store = openStore(dir);
    assert.ok(existsSync(join(dir, DATABASE_FILE)));
    store.close();
  });

  test('configures WAL, foreign keys and a busy timeout', () => {
    const store = openStore(tempDir());
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((store.db.pragma('busy_timeout', { simple: true }) as number) > 0);
    store.close();
  });

  test('a data folder that cannot be created is a user error naming it and --data-dir', () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    const dir = join(file, 'data');
    assert.throws(
      () => openStore(dir),
      (err: unknown) =>
        err instanceof UserError && err.message.includes(dir) && err.message.includes('--data-dir'),
    );
  });

  test('a data folder path that is a regular file is a user error', () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    assert.throws(
      () => openStore(file),
      (err: unknown) => err instanceof UserError && err.message.includes(file),
    );
  });

  test('close is idempotent', () => {
    const store = openStore(tempDir());
    store.close();
    store.close();
    assert.equal(store.db.open, false);
  });
});
