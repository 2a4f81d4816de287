import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src-main/store/index.js';
import { cli, ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-cli-'));
const dataDir = join(dir, 'store');

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function npyHeaderOnly(dict: string): string {
  const header = dict + ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  const p = join(dir, 'huge.npy');
  writeFileSync(p, out);
  return p;
}

const fixture = (name: string) => {
  const p = join(dir, name);
  copyFileSync(join(ROOT, 'test/fixtures/data', name), p);
  return p;
};

const smallNet = ['--steps', '5', '--width', '8', '--depth', '1', '--data-dir', dataDir];

/** [what, args, a phrase the one-line message must contain] */
const cases: [string, string[], RegExp][] = [
  ['an unknown dataset', ['train', '--dataset', 'checkers', ...smallNet], /unknown dataset 'checkers'.*toy name/],
  ['an unknown option', ['train', '--dataset', 'moons', '--sped', '5', '--data-dir', dataDir], /--sped.*flowlab train --help/],
  ['an unknown command', ['trian'], /unknown command 'trian'/],
  ['a CSV with a text cell', ['train', '--dataset', file('text.csv', 'a,b\n1,2\n3,oops\n5,6\n'), ...smallNet], /text|number/i],
  ['a CSV with NaN', ['train', '--dataset', file('nan.csv', 'a,b\n1,2\nNaN,4\n5,6\n'), ...smallNet], /NaN|not finite/i],
  ['a CSV with Inf', ['train', '--dataset', file('inf.csv', 'a,b\n1,2\n3,Inf\n5,6\n'), ...smallNet], /Inf|not finite/i],
  ['a CSV with ragged rows', ['train', '--dataset', file('ragged.csv', 'a,b\n1,2\n3\n5,6\n'), ...smallNet], /row|column/i],
  ['a CSV with a single row', ['train', '--dataset', file('single.csv', 'a,b\n1,2\n'), ...smallNet], /row/i],
  ['a CSV with no numeric columns', ['train', '--dataset', file('words.csv', 'a,b\nx,y\nz,w\n'), ...smallNet], /numeric|number/i],
  ['a CSV with no rows', ['train', '--dataset', file('empty.csv', 'a,b\n'), ...smallNet], /no data|empty|rows?/i],
  ['an NPY of the wrong dtype', ['train', '--dataset', fixture('int64.npy'), ...smallNet], /int64|dtype|float/i],
  ['an NPY of the wrong rank', ['train', '--dataset', fixture('rank3.npy'), ...smallNet], /2-D|rank|dimension/i],
  ['a dataset of more than 10 million rows', ['train', '--dataset', npyHeaderOnly("{'descr': '<f4', 'fortran_order': False, 'shape': (10000001, 2), }"), ...smallNet], /10,000,000/],
  ['a batch larger than the data', ['train', '--dataset', file('small.csv', 'a,b\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 3}`).join('\n')), '--batch', '1024', ...smallNet], /batch 1024 is larger than the 36 training rows/],
  ['zero steps', ['train', '--dataset', 'moons', '--steps', '0', '--data-dir', dataDir], / --steps must be a whole number from 1 to 100000000, got 0$/],
  ['negative steps', ['train', '--dataset', 'moons', '--steps', '-3', '--data-dir', dataDir], /--steps/],
  ['a zero learning rate', ['train', '--dataset', 'moons', '--lr', '0', '--data-dir', dataDir], / --lr must be a number greater than 0, got 0$/],
  ['a learning rate that is not a number', ['train', '--dataset', 'moons', '--lr', 'fast', '--data-dir', dataDir], /--lr must be a number/],
  ['a learning-rate floor above 1', ['train', '--dataset', 'moons', '--lr-floor', '2', '--data-dir', dataDir], / --lr-floor must lie in \[0, 1\], got 2$/],
  ['a net deeper than allowed', ['train', '--dataset', 'moons', '--steps', '5', '--depth', '1000', '--data-dir', dataDir], / --depth must be a whole number from 1 to 64, got 1000$/],
  ['an unknown time sampling', ['train', '--dataset', 'moons', '--time-sampling', 'early', ...smallNet], / --time-sampling must be one of uniform, late, got 'early'$/],
  ['an unknown interpolant', ['train', '--dataset', 'moons', '--interpolant', 'cubic', ...smallNet], / --interpolant must be one of linear, trig, encdec, vp, stochastic, learned, got 'cubic'$/],
  ['a data dir that is not writable', ['train', '--dataset', 'moons', '--steps', '5', '--data-dir', join(file('plain-file', 'x'), 'sub')], /--data-dir/],
  ['an unavailable backend asked for explicitly', ['train', '--dataset', 'moons', '--backend', 'cuda', ...smallNet], /backend 'cuda' cannot be used/],
  ['sampling on an unknown backend', ['sample', '--run', 'x', '--backend', 'tpu', '--data-dir', dataDir], /unknown backend 'tpu'; choose one of auto, cpu, webgpu, cuda/],
  ['evaluating on an unknown backend', ['eval', '--run', 'x', '--backend', 'gpu', '--data-dir', dataDir], /unknown backend 'gpu'/],
  ['sampling a run that does not exist', ['sample', '--run', 'r-19990101-0001', '--data-dir', dataDir], /no run with id r-19990101-0001/],
  ['resuming a run that does not exist', ['train', '--resume', 'r-19990101-0001', '--data-dir', dataDir], /no run with id/],
  ['exporting a run that does not exist', ['export', '--run', 'nope', '--format', 'onnx', '--out', join(dir, 'x.onnx'), '--data-dir', dataDir], /no run with id nope/],
  ['an unknown export format', ['export', '--run', 'nope', '--format', 'pdf', '--out', join(dir, 'x.pdf'), '--data-dir', dataDir], /unknown export format 'pdf'/],
  // procfs answers mkdir with ENOENT inside a folder that exists, which sent Node's recursive mkdir into an endless loop
  ...(existsSync('/proc/self') ? [['a data dir that procfs cannot hold', ['runs', '--data-dir', '/proc/self/flowlab-data'], /not a writable folder.*--data-dir/] as [string, string[], RegExp]] : []),
  ['a tolerance written with a dash', ['sample', '--run', 'x', '--rtol', '-1', '--data-dir', dataDir], /--rtol needs a value; write one that starts with a dash as --rtol=-X/],
  ['sampling to a path whose folder cannot be made', ['sample', '--run', 'x', '--out', join(file('not-a-folder', 'x'), 's.npy'), '--data-dir', dataDir], /cannot create the folder of .*not-a-folder.*ENOTDIR.*--out/],
  ['a trajectory that is not .npy', ['sample', '--run', 'x', '--trajectory', join(dir, 't.csv'), '--data-dir', dataDir], /--trajectory must end in .npy, got/],
  ['a trajectory with the adaptive solver', ['sample', '--run', 'x', '--solver', 'dopri5', '--trajectory', join(dir, 't.npy'), '--data-dir', dataDir], /--trajectory needs a fixed-step solver; pass --solver euler, heun or rk4/],
  ['sampling to an unknown file type', ['sample', '--run', 'x', '--out', join(dir, 's.txt'), '--data-dir', dataDir], /--out must end in .csv or .npy/],
];

for (const [what, args, phrase] of cases) {
  test(`${what}: one clear line, non-zero exit, nothing stored`, () => {
    const r = cli(args);
    assert.notEqual(r.code, 0, `exit code 0 for ${what}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `stderr: ${r.stderr}`);
    assert.match(lines[0], /^error: /);
    assert.match(lines[0], phrase);
    assert.equal(r.stdout.trim(), '');
  });
}

test('after all the bad commands the store holds no run and is intact', () => {
  const store = openStore(dataDir);
  assert.deepEqual(store.listRuns(), []);
  assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
  store.close();
});

test('every command documents its options with --help', () => {
  for (const cmd of ['train', 'sample', 'eval', 'runs', 'export', 'backends']) {
    const r = cli([cmd, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--data-dir/);
    assert.match(r.stdout, /--threads/);
  }
  // serve takes its threads from each run's settings; it must still answer --help, not serve
  const r = cli(['serve', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--port P[\s\S]*--data-dir DIR/);
});
