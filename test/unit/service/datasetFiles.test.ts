/**
 * Imports are content-addressed and written atomically: re-importing under a name never replaces
 * or deletes a file an earlier run uses, a failed or interrupted import leaves nothing behind,
 * and a full disk gives one line (settings too).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { importDataset, summarizeTable, type Summarize } from '../../../src-main/service/datasetFiles.js';
import { loadSettings, saveSettings, SETTINGS_FILE } from '../../../src-main/service/settingsFile.js';

const summarize: Summarize = async (path, rows, stats) => summarizeTable(path, rows, stats);
const csv = (text: string) => new TextEncoder().encode(text);

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-imports-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('imports', () => {
  test('a new file under an existing name gets its own path; the earlier file stays as it was', async () => {
    const dataDir = tempDir();
    const first = await importDataset({ dataDir, fileName: 'points.csv', bytes: csv('a,b\n1,2\n3,4\n'), summarize });
    const second = await importDataset({ dataDir, fileName: 'points.csv', bytes: csv('a,b\n5,6\n7,8\n9,10\n'), summarize });
    assert.notEqual(first.path, second.path);
    assert.equal(readFileSync(first.path, 'utf8'), 'a,b\n1,2\n3,4\n');
    assert.equal(second.n, 3);
    assert.match(basename(first.path), /^points-[0-9a-f]{12}\.csv$/);
    const again = await importDataset({ dataDir, fileName: 'points.csv', bytes: csv('a,b\n1,2\n3,4\n'), summarize });
    assert.equal(again.path, first.path, 'the same content has the same name');
    assert.equal(readdirSync(join(dataDir, 'imports')).length, 2, 'no temporary files left');
  });

  test('a re-import that fails to parse deletes nothing an earlier run uses and leaves no file', async () => {
    const dataDir = tempDir();
    const good = await importDataset({ dataDir, fileName: 'points.csv', bytes: csv('a,b\n1,2\n3,4\n'), summarize });
    await assert.rejects(
      importDataset({ dataDir, fileName: 'points.csv', bytes: csv('a,b\n1,2\n3,oops\n'), summarize }),
      (e: Error) => e.name === 'UserError' && e.message.startsWith('points.csv') && !e.message.includes('.incoming-'),
    );
    assert.equal(readFileSync(good.path, 'utf8'), 'a,b\n1,2\n3,4\n');
    assert.deepEqual(readdirSync(join(dataDir, 'imports')), [basename(good.path)]);
  });

  test('a full disk gives one line and leaves no 0-byte file', async (t) => {
    const dataDir = tempDir();
    const imports = join(dataDir, 'imports');
    mkdirSync(imports);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', imports], { stdio: 'ignore' });
    } catch {
      t.skip('mounting a small tmpfs needs root');
      return;
    }
    try {
      const big = csv('a,b\n' + '1.25,2.5\n'.repeat(20_000));
      await assert.rejects(
        importDataset({ dataDir, fileName: 'big.csv', bytes: big, summarize }),
        (e: Error) => e.name === 'UserError' && /is full; free some space/.test(e.message) && !e.message.includes('\n'),
      );
      assert.deepEqual(readdirSync(imports), [], 'nothing left behind');
      const small = await importDataset({ dataDir, fileName: 'small.csv', bytes: csv('a\n1\n2\n'), summarize });
      assert.ok(existsSync(small.path), 'the folder still takes a file that fits');
    } finally {
      execFileSync('umount', [imports]);
    }
  });
});

describe('settings on a full disk', () => {
  test('the previous settings stay, no temporary file is left, the message is one line', () => {
    const dataDir = tempDir();
    saveSettings(dataDir, { backend: 'cpu', threads: 2 });
    // Writes to /dev/full fail with ENOSPC, as on a full disk.
    symlinkSync('/dev/full', join(dataDir, `${SETTINGS_FILE}.tmp`));
    assert.throws(
      () => saveSettings(dataDir, { backend: 'auto', threads: 4 }),
      (e: Error) => e.name === 'UserError' && /is full; free some space/.test(e.message) && !e.message.includes('\n'),
    );
    assert.deepEqual(loadSettings(dataDir), { backend: 'cpu', threads: 2 });
    assert.deepEqual(readdirSync(dataDir).sort(), [SETTINGS_FILE]);
  });
});
