/**
 * Image runs that are interrupted or given bad input: a SIGKILLed run resumes bit for bit, and a
 * corrupt picture, an NPY of the wrong rank, a set too large for memory or a U-Net whose levels
 * do not divide the image each give one line naming the file or the field, and no run.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openStore } from '../../src-main/store/index.js';
import { cli, cliAsync, lastJson } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-image-runs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const TINY = ['--base-channels', '4', '--channel-mults', '1,2', '--threads', '1', '--image-size', '8', '--color', 'gray'];

async function writePictures(folder: string, count: number): Promise<void> {
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(10 * 10 * 3);
    for (let k = 0; k < buf.length; k++) buf[k] = ((k * 7 + i * 13) % 11) * 23;
    await sharp(buf, { raw: { width: 10, height: 10, channels: 3 } }).png().toFile(join(folder, `p${i}.png`));
  }
}

/** An NPY header (v1.0) for `shape` uint8, followed by `body` bytes. */
function npyFile(path: string, shape: number[], body = Buffer.alloc(0)): void {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  writeFileSync(path, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}

function runCount(dataDir: string): number {
  const store = openStore(dataDir);
  try {
    return store.listRuns().length;
  } finally {
    store.close();
  }
}

test('a SIGKILLed image run resumes bit for bit: the same losses and final weights as an uninterrupted run', async () => {
  const pics = join(dir, 'resume-pics');
  await writePictures(pics, 24);
  // long enough (a few seconds) that the kill lands mid-training
  const STEPS = 160;
  const args = ['--dataset', pics, ...TINY, '--steps', String(STEPS), '--batch', '4', '--seed', '9', '--json'];
  const killedDir = join(dir, 'killed');
  const child = cliAsync(['train', ...args, '--checkpoint-seconds', '0.2', '--data-dir', killedDir]);
  let runId = '';
  let killedAt = 0;
  const exited = new Promise((r) => child.once('exit', r));
  for (let waited = 0; waited < 60_000 && !runId && child.exitCode === null; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      const store = openStore(killedDir);
      const run = store.listRuns()[0];
      const ck = run && store.latestCheckpoint(run.id);
      store.close();
      if (ck && ck.step >= 3 && ck.step < STEPS) [runId, killedAt] = [run.id, ck.step];
    } catch {
      // the store is not created yet
    }
  }
  child.kill('SIGKILL');
  await exited;
  assert.ok(runId, 'the run wrote a checkpoint mid-training');

  const resumed = cli(['train', '--resume', runId, '--data-dir', killedDir, '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(lastJson(resumed.stdout).status, 'completed');
  const whole = cli(['train', ...args, '--data-dir', join(dir, 'whole')]);
  assert.equal(whole.code, 0, whole.stderr);

  const read = (dataDir: string, id: string) => {
    const store = openStore(dataDir);
    try {
      const ck = store.latestCheckpoint(id)!;
      return { loss: Array.from(store.metricsSeries(id, 'loss').values), steps: ck.step, params: ck.params, ema: ck.ema };
    } finally {
      store.close();
    }
  };
  const a = read(killedDir, runId);
  const b = read(join(dir, 'whole'), String(lastJson(whole.stdout).runId));
  assert.ok(killedAt >= 3, `killed at step ${killedAt}`);
  assert.equal(a.steps, STEPS);
  assert.equal(a.loss.length, STEPS);
  assert.deepEqual(a.loss, b.loss);
  assert.deepEqual(a.params, b.params);
  assert.deepEqual(a.ema, b.ema);
});

test('a corrupt PNG in the folder: one line naming the file, and no run is created', async () => {
  const pics = join(dir, 'corrupt');
  await writePictures(pics, 4);
  writeFileSync(join(pics, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\nnot really a picture'));
  const data = join(dir, 'corrupt-store');
  const r = cli(['train', '--dataset', pics, ...TINY, '--steps', '2', '--batch', '2', '--seed', '1', '--data-dir', data]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /broken\.png/);
  assert.equal(runCount(data), 0);
});

test('U-Net levels that do not divide the image size are refused at --channel-mults, with no run', async () => {
  const pics = join(dir, 'levels');
  await writePictures(pics, 4);
  const data = join(dir, 'levels-store');
  const r = cli(['train', '--dataset', pics, ...TINY, '--image-size', '10', '--channel-mults', '1,2,2', '--steps', '2', '--batch', '2', '--seed', '1', '--data-dir', data]);
  assert.equal(r.code, 1);
  assert.match(r.stderr.trim(), /^error: --channel-mults has 3 levels, .*divisible by 4; 10 x 10 is not/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.equal(runCount(data), 0);
  const pts = cli(['train', '--dataset', 'checkerboard', '--net', 'unet', '--steps', '2', '--seed', '1', '--data-dir', data]);
  assert.equal(pts.code, 1);
  assert.match(pts.stderr.trim(), /^error: --net 'unet' needs an image dataset/);
});

test('an NPY of the wrong rank and an image set too large for memory: one line naming the file, no run', () => {
  const data = join(dir, 'npy-store');
  const rank5 = join(dir, 'rank5.npy');
  npyFile(rank5, [2, 1, 1, 4, 4], Buffer.alloc(32));
  const a = cli(['train', '--dataset', rank5, ...TINY, '--steps', '2', '--batch', '1', '--seed', '1', '--data-dir', data]);
  assert.equal(a.code, 1);
  assert.match(a.stderr.trim(), /rank5\.npy.*5-D/);
  assert.equal(a.stderr.trim().split('\n').length, 1);
  const huge = join(dir, 'huge.npy');
  npyFile(huge, [100_000_000, 3, 64, 64]);
  const b = cli(['train', '--dataset', huge, ...TINY, '--steps', '2', '--batch', '1', '--seed', '1', '--data-dir', data]);
  assert.equal(b.code, 1);
  assert.match(b.stderr.trim(), /huge\.npy: 100,000,000 images .* more than the .* allowed/);
  assert.equal(b.stderr.trim().split('\n').length, 1);
  assert.equal(runCount(data), 0);
});
