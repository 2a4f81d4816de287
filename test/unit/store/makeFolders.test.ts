import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../helpers/cli.js';
import { makeFolders } from '../../../src-main/paths.js';

const root = mkdtempSync(join(tmpdir(), 'flowlab-folders-'));

test('makeFolders creates every missing level and accepts folders that exist', () => {
  const deep = join(root, 'a', 'b', 'c');
  makeFolders(deep);
  assert.ok(statSync(deep).isDirectory());
  makeFolders(deep); // again: nothing to do, no error
  makeFolders(join(root, 'a', '..', 'a', 'b', 'd'));
  assert.ok(statSync(join(root, 'a', 'b', 'd')).isDirectory());
});

test('makeFolders under a file fails with the file system code', () => {
  const file = join(root, 'plain');
  writeFileSync(file, 'x');
  assert.throws(() => makeFolders(join(file, 'sub', 'deeper')), { code: 'ENOTDIR' });
  assert.throws(() => makeFolders(file), { code: 'ENOTDIR' });
});

test('makeFolders returns an error where mkdir answers ENOENT inside an existing folder (procfs)', { skip: !existsSync('/proc/self') && 'no procfs here' }, () => {
  // Node's mkdirSync(..., { recursive: true }) never returns here (it retries the same mkdir
  // forever), so the call runs in a child that a time limit can stop
  const paths = pathToFileURL(join(ROOT, 'src-main/paths.ts')).href;
  const code = `import('${paths}').then((m) => { try { m.makeFolders('/proc/self/flowlab-data/runs'); console.log('created'); } catch (e) { console.log(e.code); } })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, 'makeFolders did not return');
  assert.equal(r.stdout.trim(), 'ENOENT');
});
