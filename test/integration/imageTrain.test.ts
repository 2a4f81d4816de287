/**
 * Image runs through the real CLI: a folder of PNGs, a CIFAR-format batch and MNIST train; the
 * samples come out as [n, C, H, W] NPY in [0, 1] and as a PNG grid; the exported ONNX model
 * takes images. Tiny U-Nets on small images, a few steps each.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openStore } from '../../src-main/store/index.js';
import { DEFAULT_SOLVER_STEPS, IMAGE_SAMPLER } from '../../src-main/api/schemas.js';
import { velocityModelBytes } from '../../src-main/service/export.js';
import { evaluateRun } from '../../src-main/service/evaluate.js';
import { bitsPerDim } from '../../src-main/service/evaluateImages.js';
import { ort } from '../../src-main/engine/onnx/runtime.js';
import { sampleRun } from '../../src-main/service/sample.js';
import { trainRun } from '../../src-main/service/train.js';
import { cli, lastJson } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const pics = join(dir, 'pics');
/** A U-Net small enough that a CLI run of a few steps takes seconds. */
const TINY = ['--base-channels', '4', '--channel-mults', '1,2', '--threads', '1'];

/** 64 RGB pictures 12 x 10 of stripes at varying phase (each a valid PNG). */
async function writePictures(folder: string, count: number): Promise<void> {
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    const [w, h] = [12, 10];
    const buf = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) buf.fill((x + i) % 6 < 3 ? 220 : 30, (y * w + x) * 3, (y * w + x) * 3 + 2).fill(40 + 3 * i, (y * w + x) * 3 + 2, (y * w + x) * 3 + 3);
    await sharp(buf, { raw: { width: w, height: h, channels: 3 } }).png().toFile(join(folder, `p${String(i).padStart(2, '0')}.png`));
  }
}

/** The shape and float32 values of an NPY file. */
function readNpyFile(path: string): { shape: number[]; values: Float32Array } {
  const bytes = readFileSync(path);
  const headerLen = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLen).toString('latin1');
  assert.match(header, /'descr': '<f4'/);
  const shape = header.match(/'shape': \(([^)]*)\)/)![1].split(',').filter((s) => s.trim()).map(Number);
  const body = bytes.subarray(10 + headerLen);
  return { shape, values: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length)) };
}

function train(dataDir: string, args: string[]) {
  const r = cli(['train', ...args, '--data-dir', dataDir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return lastJson(r.stdout) as { runId: string; status: string; steps: number };
}

function recordedShape(dataDir: string, runId: string): unknown {
  const store = openStore(dataDir);
  try {
    return store.latestCheckpoint(runId)?.extra.shape;
  } finally {
    store.close();
  }
}

before(async () => {
  await writePictures(pics, 64);
});

test('flowlab train on a folder of 64 PNGs, then sample --out s.npy ([n, C, H, W] in [0, 1]) and --out s.png (a grid)', async () => {
  const data = join(dir, 'folder-store');
  const run = train(data, ['--dataset', pics, '--image-size', '8', '--color', 'gray', '--sde-eps', '0.7', ...TINY, '--steps', '4', '--batch', '8', '--seed', '3']);
  assert.equal(run.status, 'completed');
  assert.deepEqual(recordedShape(data, run.runId), [1, 8, 8]);
  // previews (a fixed noise set, stored with its shape) and the final gallery
  const kinds = (() => {
    const store = openStore(data);
    try {
      return store.listSamples(run.runId).map((s) => ({ kind: s.kind, n: s.n, shape: (s.meta as { shape?: unknown }).shape }));
    } finally {
      store.close();
    }
  })();
  assert.ok(kinds.some((k) => k.kind === 'preview' && k.n === 16 && JSON.stringify(k.shape) === '[1,8,8]'), JSON.stringify(kinds));
  assert.ok(kinds.some((k) => k.kind === 'final' && k.n === 64 && JSON.stringify(k.shape) === '[1,8,8]'), JSON.stringify(kinds));

  const npy = join(dir, 's.npy');
  const s = cli(['sample', '--run', run.runId, '--n', '6', '--steps', '2', '--out', npy, '--data-dir', data, '--json']);
  assert.equal(s.code, 0, s.stderr);
  // no solver named: an image run's plain samples come from the image sampler (the SDE) at the run's eps (train --sde-eps), with the steps given
  const drawn = JSON.parse(s.stdout.trim().split('\n').at(-1)!);
  assert.deepEqual([drawn.sampler, drawn.nfe], [{ solver: IMAGE_SAMPLER.solver, steps: 2, sdeEps: 0.7 }, 2]);
  // a slerp row follows one deterministic path: rk4, its default steps
  const row = JSON.parse(cli(['sample', '--run', run.runId, '--n', '2', '--interpolate', '0,1', '--data-dir', data, '--json']).stdout.trim().split('\n').at(-1)!);
  assert.deepEqual([row.sampler, row.nfe], [{ solver: 'rk4', steps: DEFAULT_SOLVER_STEPS }, 4 * DEFAULT_SOLVER_STEPS]);
  const { shape, values } = readNpyFile(npy);
  assert.deepEqual(shape, [6, 1, 8, 8]);
  assert.equal(values.length, 6 * 64);
  assert.ok(values.every((v) => v >= 0 && v <= 1));
  assert.ok(new Set(values).size > 10, 'samples are images, not a constant');

  const png = join(dir, 's.png');
  const p = cli(['sample', '--run', run.runId, '--n', '6', '--steps', '2', '--out', png, '--data-dir', data]);
  assert.equal(p.code, 0, p.stderr);
  const meta = await sharp(png).metadata();
  // 3 columns x 2 rows of 8 x 8 images with 2-pixel gaps
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 3 * 8 + 2 * 2, 2 * 8 + 2]);

  // the exported velocity takes and gives images [N, 1, 8, 8], with the shape in its metadata
  const store = openStore(data);
  const bytes = velocityModelBytes(store, run.runId);
  store.close();
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(2 * 64).fill(0.1), [2, 1, 8, 8]), t: new ort.Tensor('float32', Float32Array.of(0.3, 0.7), [2, 1]) });
  assert.deepEqual(out.v.dims, [2, 1, 8, 8]);
  assert.ok(Buffer.from(bytes).includes(Buffer.from('[1,8,8]')));
  await session.release();

  // held-out bits/dim by Hutchinson, with the dequantisation offset: NLL_x / (D ln 2) + 7
  const evalStore = openStore(data);
  try {
    const e = await evaluateRun({ store: evalStore, runId: run.runId, nll: true, n: 4, threads: 1 });
    assert.equal(e.divergence, 'hutchinson-1');
    assert.equal(e.d, 64);
    assert.ok(Math.abs((e.bitsPerDim as number) - bitsPerDim(e.nll as number, 64)) < 1e-12);
    assert.ok((e.bitsPerDim as number) > 0 && (e.bitsPerDim as number) < 20, `bits/dim ${e.bitsPerDim}`);
    assert.equal(evalStore.listEvaluations(run.runId).length, 1);
  } finally {
    evalStore.close();
  }
});

test('bits/dim of a model uniform on [-1, 1]^D is 8, the bits of uniform 8-bit pixels', () => {
  const D = 784;
  assert.ok(Math.abs(bitsPerDim(D * Math.LN2, D) - 8) < 1e-12);
});

test('flowlab train on a CIFAR-format batch the test writes (3 x 32 x 32), then --reverse encodes held-out images', () => {
  const cifar = join(dir, 'data_batch_1');
  const py = spawnSync('python3', ['-c', `
import pickle, sys, numpy as np
data = np.random.default_rng(1).integers(0, 256, size=(20, 3072), dtype=np.uint8)
pickle.dump({b'batch_label': b'batch 1', b'labels': [i % 10 for i in range(20)], b'data': data, b'filenames': [b'%d.png' % i for i in range(20)]}, open(sys.argv[1], 'wb'), protocol=2)
`, cifar], { encoding: 'utf8' });
  assert.equal(py.status, 0, `python3 with numpy writes the CIFAR file: ${py.stderr}`);
  const data = join(dir, 'cifar-store');
  const run = train(data, ['--dataset', cifar, ...TINY, '--steps', '2', '--batch', '4', '--seed', '4']);
  assert.equal(run.status, 'completed');
  assert.deepEqual(recordedShape(data, run.runId), [3, 32, 32]);
  const codes = join(dir, 'codes.npy');
  const r = cli(['sample', '--run', run.runId, '--n', '2', '--solver', 'heun', '--steps', '2', '--reverse', '--trajectory', join(dir, 'traj.npy'), '--out', codes, '--data-dir', data]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readNpyFile(codes).shape, [2, 3, 32, 32]);
  assert.deepEqual(readNpyFile(join(dir, 'traj.npy')).shape, [3, 2, 3, 32, 32]);
});

test('flowlab train --dataset mnist runs a U-Net for a few steps and records [1, 28, 28]', () => {
  const data = join(dir, 'mnist-store');
  const run = train(data, ['--dataset', 'mnist', ...TINY, '--steps', '2', '--batch', '4', '--seed', '5']);
  assert.equal(run.status, 'completed');
  assert.deepEqual(recordedShape(data, run.runId), [1, 28, 28]);
  const store = openStore(data);
  const config = store.getRun(run.runId).config as { net: { kind: string } };
  store.close();
  assert.equal(config.net.kind, 'unet');

  // The digit classifier judges its samples: two steps of training draw noise, far from digits.
  const ev = lastJson(cli(['eval', '--run', run.runId, '--distances', '--n', '20', '--data-dir', data, '--json']).stdout) as Record<string, number>;
  assert.ok(ev.classifierFrechet > 3 * ev.classifierFrechetFloor, `FD ${ev.classifierFrechet} against floor ${ev.classifierFrechetFloor}`);
  assert.ok(ev.confidentFraction < 0.5, `${ev.confidentFraction} of noise images labelled with confidence`);
  assert.ok(ev.classFractionMin >= 0 && ev.classFractionMax <= 1 && ev.classFractionMin <= ev.classFractionMax);
  assert.ok(ev.nearestTrainMedian > 0 && ev.nearestTrainHeldOutMedian > 0);
});

test('an MLP on images trains on them flattened, and its samples keep the image shape', async () => {
  const data = join(dir, 'mlp-store');
  const store = openStore(data);
  try {
    const summary = await trainRun({
      store,
      config: { dataset: pics, images: { size: 8, color: 'gray' }, net: { kind: 'mlp', width: 32, depth: 1 }, train: { seed: 2, steps: 10, batch: 8 }, threads: 1 },
    });
    assert.equal(summary.status, 'completed');
    assert.deepEqual(store.latestCheckpoint(summary.runId)?.extra.shape, [1, 8, 8]);
    const r = await sampleRun({ store, runId: summary.runId, n: 3, solver: 'euler', steps: 2, save: false });
    assert.deepEqual(r.shape, [1, 8, 8]);
    assert.equal(r.x.length, 3 * 64);
  } finally {
    store.close();
  }
});
