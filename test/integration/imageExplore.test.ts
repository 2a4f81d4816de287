/**
 * Exploring an image run, on a tiny U-Net trained in seconds: a slerp row between two seeds whose
 * endpoints are the seeds' gallery images bit for bit; encoding held-out images and decoding them
 * back, with a cycle error that falls as rk4 takes more steps; and a row followed along t with
 * the velocity's magnitude per pixel.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openStore, type Store } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { sampleRun } from '../../src-main/service/sample.js';
import { baseNoise } from '../../src-main/service/baseNoise.js';
import { encodeDecode, rowRms } from '../../src-main/service/encodeDecode.js';
import { noiseFrames } from '../../src-main/service/noiseFrames.js';
import { angleBetween } from '../../src-main/engine/sample/slerp.js';
import { UserError } from '../../src-main/errors.js';
import { readFileSync } from 'node:fs';
import { cli, lastJson } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-image-explore-'));
const D = 64;
let store: Store;
let runId = '';

/** 40 gray 8 x 8 pictures: a bright bar whose position moves with i. */
async function writePictures(folder: string, count: number): Promise<void> {
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(8 * 8);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) buf[y * 8 + x] = Math.abs(x - (i % 8)) < 2 ? 230 : 20 + 2 * y;
    await sharp(buf, { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(join(folder, `p${String(i).padStart(2, '0')}.png`));
  }
}

before(async () => {
  const pics = join(dir, 'pics');
  await writePictures(pics, 40);
  store = openStore(join(dir, 'store'));
  const s = await trainRun({
    store,
    config: {
      dataset: pics, images: { size: 8, color: 'gray' }, net: { kind: 'unet', baseChannels: 4, channelMults: [1, 2] },
      train: { seed: 3, steps: 40, batch: 8 }, threads: 1,
    },
  });
  assert.equal(s.status, 'completed');
  runId = s.runId;
});

after(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('seed interpolation', () => {
  test("a seed's noise is the first image of its gallery's noise", () => {
    assert.deepEqual(baseNoise(5, 1, D), baseNoise(5, 16, D).subarray(0, D));
  });

  test('decoding the endpoints of a slerp row gives the gallery images of those seeds bit for bit', async () => {
    const [a, b] = [0, 7];
    const row = await sampleRun({ store, runId, n: 8, solver: 'rk4', steps: 6, noise: { kind: 'slerp', seeds: [a, b] }, save: false });
    assert.deepEqual(row.x0.subarray(0, D), baseNoise(a, 1, D));
    assert.deepEqual(row.x0.subarray(7 * D), baseNoise(b, 1, D));
    const galleryA = await sampleRun({ store, runId, n: 16, solver: 'rk4', steps: 6, seed: a, save: false });
    const galleryB = await sampleRun({ store, runId, n: 16, solver: 'rk4', steps: 6, seed: b, save: false });
    assert.deepEqual(row.x.subarray(0, D), galleryA.x.subarray(0, D));
    assert.deepEqual(row.x.subarray(7 * D), galleryB.x.subarray(0, D));
    // the inner points differ from both ends and lie on the arc: angle to a grows evenly
    const theta = angleBetween(row.x0.subarray(0, D), row.x0.subarray(7 * D));
    for (let i = 1; i < 7; i++) assert.ok(Math.abs(angleBetween(row.x0.subarray(0, D), row.x0.subarray(i * D, (i + 1) * D)) - (i / 7) * theta) < 1e-5);
    assert.notDeepEqual(row.x.subarray(3 * D, 4 * D), row.x.subarray(0, D));
  });

  test('given noise is used as it is, and bad noise is refused naming its field', async () => {
    const z = baseNoise(11, 3, D);
    const r = await sampleRun({ store, runId, n: 3, solver: 'euler', steps: 3, noise: { kind: 'values', values: z }, save: false });
    const g = await sampleRun({ store, runId, n: 3, solver: 'euler', steps: 3, seed: 11, save: false });
    assert.deepEqual(r.x, g.x);
    await assert.rejects(sampleRun({ store, runId, n: 2, solver: 'euler', noise: { kind: 'values', values: z }, save: false }),
      (e: UserError) => e.field === 'noise.values' && /expected n x d = 2 x 64/.test(e.message));
    await assert.rejects(sampleRun({ store, runId, n: 1, solver: 'euler', noise: { kind: 'slerp', seeds: [1, 2] }, save: false }),
      (e: UserError) => e.field === 'n' && /at least 2/.test(e.message));
    await assert.rejects(sampleRun({ store, runId, n: 3, solver: 'euler', reverse: true, noise: { kind: 'values', values: z }, save: false }),
      (e: UserError) => e.field === 'noise');
  });
});

describe('encode and decode held-out images', () => {
  test('the cycle error of rk4 falls as the steps increase', async () => {
    const indices = [0, 1, 2];
    const errors: number[] = [];
    for (const steps of [2, 4, 8, 16]) {
      const r = await encodeDecode({ store, runId, indices, solver: 'rk4', steps });
      assert.equal(r.original.length, 3 * D);
      assert.equal(r.rms.length, 3);
      assert.equal(r.nfe, 2 * 4 * steps);
      // the error reported is the RMS in pixel scale: half the flow scale's
      assert.deepEqual(r.rms, rowRms(r.reconstruction, r.original, 3, D).map((x) => x / 2));
      errors.push(Math.max(...r.rms));
    }
    console.log(`rk4 cycle error (pixel scale) at 2, 4, 8, 16 steps: ${errors.map((e) => e.toExponential(2)).join(', ')}`);
    for (let i = 1; i < errors.length; i++) assert.ok(errors[i] < errors[i - 1], `cycle errors ${errors.join(', ')}`);
    assert.ok(errors.at(-1)! < errors[0] / 20, `cycle errors ${errors.join(', ')}`);
  });

  test('the originals are the held-out pixels, the codes look like noise, and a bad index names its field', async () => {
    const r = await encodeDecode({ store, runId, indices: [1], solver: 'rk4', steps: 8 });
    // pixel level centres: x = 2 (k + 1/2) / 256 - 1, k whole
    for (const v of r.original) {
      const k = ((v + 1) * 256) / 2 - 0.5;
      assert.ok(Math.abs(k - Math.round(k)) < 1e-3 && k > -0.5 && k < 255.5, `level ${k}`);
    }
    let s = 0;
    for (const v of r.noise) s += v * v;
    assert.ok(Math.sqrt(s / D) > 0.3, `code RMS ${Math.sqrt(s / D)}`);
    await assert.rejects(encodeDecode({ store, runId, indices: [999], solver: 'rk4' }), (e: UserError) => e.field === 'indices' && /from 0 to \d+/.test(e.message));
    await assert.rejects(encodeDecode({ store, runId, indices: [0], solver: 'em' }), (e: UserError) => e.field === 'solver');
  });
});

describe('noise to image', () => {
  test('frames follow the solve from the noise to the samples, with |v| per pixel under each', async () => {
    const r = await noiseFrames({ store, runId, n: 4, seed: 0, solver: 'euler', steps: 8, frames: 5 });
    assert.deepEqual(r.t, [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(r.shape, [1, 8, 8]);
    assert.deepEqual(r.xs[0], baseNoise(0, 4, D));
    const g = await sampleRun({ store, runId, n: 4, solver: 'euler', steps: 8, seed: 0, save: false });
    assert.deepEqual(r.xs[4], g.x);
    assert.equal(r.speed.length, 5);
    for (const s of r.speed) {
      assert.equal(s.length, 4 * 64);
      assert.ok(s.every((v) => Number.isFinite(v) && v >= 0));
    }
    assert.notDeepEqual(r.speed[0], r.speed[4]);
    // |v| at t = 0 is the Euler step's size: x_{t + h} - x_t = h v
    const step = r.xs[1].map((v, i) => v - r.xs[0][i]);
    // frame 1 is 2 Euler steps away, so compare the first step only through a 1-frame-per-step solve
    const fine = await noiseFrames({ store, runId, n: 4, seed: 0, solver: 'euler', steps: 8, frames: 9 });
    const first = fine.xs[1].map((v, i) => (v - fine.xs[0][i]) / 0.125);
    for (let i = 0; i < 4 * 64; i++) assert.ok(Math.abs(Math.abs(first[i]) - fine.speed[0][i]) < 1e-4 * (1 + fine.speed[0][i]));
    assert.ok(step.some((v) => v !== 0));
    await assert.rejects(noiseFrames({ store, runId, n: 4, solver: 'dopri5', frames: 5 }), (e: UserError) => e.field === 'solver');
  });
});

describe('the command line', () => {
  test('sample --interpolate A,B --n 8 --out row.png writes one row of 8; encode prints each cycle error', () => {
    const data = join(dir, 'store');
    const row = join(dir, 'row.png');
    const r = cli(['sample', '--run', runId, '--interpolate', '0,7', '--n', '8', '--steps', '4', '--out', row, '--data-dir', data, '--threads', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const png = readFileSync(row);
    // IHDR: 8 images of 8 pixels with 2-pixel gaps in one row
    assert.equal(png.readUInt32BE(16), 8 * 8 + 7 * 2);
    assert.equal(png.readUInt32BE(20), 8);
    const e = cli(['encode', '--run', runId, '--images', '0,2', '--steps', '8', '--out', join(dir, 'cycle.png'), '--data-dir', data, '--threads', '1', '--json']);
    assert.equal(e.code, 0, e.stderr);
    const j = lastJson(e.stdout) as { rms: number[]; nfe: number };
    assert.equal(j.rms.length, 2);
    assert.equal(j.nfe, 2 * 4 * 8);
    assert.equal(readFileSync(join(dir, 'cycle.png')).readUInt32BE(20), 3 * 8 + 2 * 2);
    const bad = cli(['sample', '--run', runId, '--interpolate', '3', '--data-dir', data]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--interpolate must be two seeds A,B/);
    const badN = cli(['sample', '--run', runId, '--interpolate', '1,2', '--n', '1', '--data-dir', data]);
    assert.match(badN.stderr, /--n must be at least 2/);
    const badImage = cli(['encode', '--run', runId, '--images', '0,500', '--data-dir', data]);
    assert.equal(badImage.code, 1);
    assert.match(badImage.stderr, /indices\[1\] is 500/);
  });
});
