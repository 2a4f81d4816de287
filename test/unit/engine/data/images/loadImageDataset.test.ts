import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { UserError } from '../../../../../src-main/errors.js';
import { isImageDatasetSpec, loadImageDataset } from '../../../../../src-main/engine/data/images/loadImageDataset.js';
import { writeImagesNpy } from '../../../../../src-main/engine/data/images/imageOutput.js';
import { writeNpy } from '../../../../../src-main/engine/data/npyWrite.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-imgspec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('loadImageDataset: one entry point for image specs', () => {
  test('mnist, a folder, an NPY of images and a CIFAR batch each load with their shape', async () => {
    const mnist = await loadImageDataset(' MNIST ');
    assert.deepEqual([mnist.n, mnist.c, mnist.h, mnist.w], [10_000, 1, 28, 28]);

    const folder = join(dir, 'pics');
    mkdirSync(folder);
    for (let i = 0; i < 4; i++) {
      await sharp({ create: { width: 30 + i, height: 20, channels: 3, background: { r: 60 * i, g: 0, b: 0 } } }).png().toFile(join(folder, `${i}.png`));
    }
    const pics = await loadImageDataset(folder);
    assert.deepEqual([pics.n, pics.c, pics.h, pics.w], [4, 3, 32, 32]);
    assert.equal(pics.pixels[3 * 3072], 180, 'image 3 is red 180');
    const small = await loadImageDataset(folder, { size: 8, channels: 1 });
    assert.deepEqual([small.c, small.h], [1, 8]);

    const npy = join(dir, 'imgs.npy');
    writeImagesNpy(npy, new Float32Array(2 * 3 * 4 * 5).fill(1), [2, 3, 4, 5]);
    const fromNpy = await loadImageDataset(npy);
    assert.deepEqual([fromNpy.n, fromNpy.c, fromNpy.h, fromNpy.w, fromNpy.pixels[0]], [2, 3, 4, 5, 255]);

    const batch = join(dir, 'data_batch_1');
    const py = `import pickle, numpy as np; pickle.dump({b'data': np.full((3, 3072), 7, np.uint8), b'labels': [1, 2, 3]}, open(${JSON.stringify(batch)}, 'wb'), protocol=2)`;
    const r = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
    assert.equal(r.status, 0, `python3 with numpy writes the CIFAR batch (install it: python3 -m pip install numpy): ${r.stderr}`);
    const cifar = await loadImageDataset(batch);
    assert.deepEqual([cifar.n, cifar.c, cifar.h, cifar.w, cifar.pixels[100]], [3, 3, 32, 32, 7]);
    assert.deepEqual(Array.from(cifar.labels ?? []), [1, 2, 3]);
  });

  test('isImageDatasetSpec separates image specs from toys and 2-D point files', () => {
    const points = join(dir, 'points.npy');
    writeNpy(points, new Float32Array(8), 4, 2);
    const images = join(dir, 'gray.npy');
    writeImagesNpy(images, new Float32Array(2 * 9), [2, 1, 3, 3]);
    assert.equal(isImageDatasetSpec('mnist'), true);
    assert.equal(isImageDatasetSpec(dir), true);
    assert.equal(isImageDatasetSpec(images), true);
    assert.equal(isImageDatasetSpec(points), false);
    assert.equal(isImageDatasetSpec('cifar-10-python.tar.gz'), true);
    assert.equal(isImageDatasetSpec('checkerboard'), false);
    assert.equal(isImageDatasetSpec('data.csv'), false);
  });

  test('anything else is a one-line error listing what is accepted', async () => {
    await assert.rejects(loadImageDataset('checkerboard'), (e: unknown) => e instanceof UserError && /unknown image dataset 'checkerboard'; give mnist, a folder/.test(e.message));
  });
});
