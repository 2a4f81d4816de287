import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegularFile } from '../../../../src-main/engine/data/safeRead.js';
import { readCsv, readNpy } from '../../../../src-main/engine/data/index.js';
import { MAX_IMPORT_BYTES } from '../../../../src-main/api/schemas.js';

/** What the CLI's own paths meet: the readers take any path the user typed, but only regular files of bounded size. */
describe('reading a data file the path names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-saferead-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

  test('a regular file is read whole', () => {
    writeFileSync(join(dir, 'ok.csv'), 'x,y\n1,2\n3,4\n');
    assert.equal(readRegularFile(join(dir, 'ok.csv')).toString(), 'x,y\n1,2\n3,4\n');
    assert.equal(readCsv(join(dir, 'ok.csv')).n, 2);
  });

  const refused: [string, () => string, RegExp][] = [
    ['a FIFO (would block forever)', () => { execFileSync('mkfifo', [join(dir, 'p.csv')]); return join(dir, 'p.csv'); }, /pipe \(FIFO\)/],
    ['/dev/zero (would grow memory without bound)', () => '/dev/zero', /character device/],
    ['/dev/stdin', () => '/dev/stdin', /not a data file|cannot read|device|pipe/],
    ['a folder', () => { mkdirSync(join(dir, 'f.csv')); return join(dir, 'f.csv'); }, /folder/],
    ['a missing file', () => join(dir, 'missing.csv'), /file not found/],
    ['a file over the size limit', () => { writeFileSync(join(dir, 'big.npy'), ''); truncateSync(join(dir, 'big.npy'), MAX_IMPORT_BYTES + 1); return join(dir, 'big.npy'); }, /larger than the 200 MB/],
  ];
  for (const [name, make, message] of refused) {
    test(`${name} is refused at once with one line`, () => {
      const path = make();
      const started = Date.now();
      for (const read of [readRegularFile, readCsv, readNpy]) {
        assert.throws(() => read(path), (e: Error) => e.name === 'UserError' && message.test(e.message) && !e.message.includes('\n'));
      }
      assert.ok(Date.now() - started < 1000);
    });
  }
});
