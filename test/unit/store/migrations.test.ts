import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { UserError } from '../../../src-main/errors.js';
import {
  DATABASE_FILE, MIGRATIONS, SCHEMA_VERSION, migrate, openStore, schemaVersion,
} from '../../../src-main/store/index.js';
import { tempDir } from './tempStore.js';

const TABLES = ['artifacts', 'checkpoints', 'evaluations', 'metrics', 'runs', 'samples'];

function tableNames(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as
    { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  test('are numbered 1, 2, 3, ... without gaps', () => {
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
    assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
  });

  test('an empty folder gets a database at the latest schema with every table', () => {
    const dir = tempDir();
    const store = openStore(dir);
    assert.equal(store.file, join(dir, DATABASE_FILE));
    assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
    assert.deepEqual(tableNames(store.db), TABLES);
    store.close();
  });

  test('reopening an up-to-date database changes nothing and keeps the data', () => {
    const dir = tempDir();
    const first = openStore(dir);
    const id = first.createRun({ name: 'a', config: {}, seed: 1, dataset: 'moons', interpolant: 'linear' }).id;
    first.close();
    const second = openStore(dir);
    assert.equal(schemaVersion(second.db), SCHEMA_VERSION);
    assert.equal(second.getRun(id).name, 'a');
    second.close();
  });

  test('a failing migration rolls back entirely and leaves the version unchanged', () => {
    const db = new Database(':memory:');
    const broken = [
      { version: 1, description: 'one table', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, description: 'broken', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    assert.throws(() => migrate(db, broken), /no such table: nowhere/);
    assert.equal(schemaVersion(db), 1);
    assert.deepEqual(tableNames(db), ['a']);
    db.close();
  });

  test('a database made by a newer FlowLab is refused with a clear message', () => {
    const dir = tempDir();
    const db = new Database(join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(
      () => openStore(dir),
      (err: unknown) =>
        err instanceof UserError &&
        /made by a newer FlowLab/.test(err.message) &&
        err.message.includes(`schema version ${SCHEMA_VERSION + 1}`) &&
        /--data-dir/.test(err.message),
    );
    // Refusing must not have touched the file.
    const again = new Database(join(dir, DATABASE_FILE));
    assert.equal(schemaVersion(again), SCHEMA_VERSION + 1);
    assert.deepEqual(tableNames(again), []);
    again.close();
  });

  test('a file that is not a database is refused with a clear message', () => {
    const dir = tempDir();
    writeFileSync(join(dir, DATABASE_FILE), 'these are not the bytes of a SQLite database'.repeat(50));
    assert.throws(
      () => openStore(dir),
      (err: unknown) => err instanceof UserError && /is not a FlowLab database/.test(err.message),
    );
  });
});
