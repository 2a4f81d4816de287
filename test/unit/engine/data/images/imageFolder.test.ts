import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { UserError } from '../../../../../src-main/errors.js';
import { loadImageFolder } from '../../../../../src-main/engine/data/images/imageFolder.js';

const root = mkdtempSync(join(tmpdir(), 'flowlab-folder-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** An RGB image w x h where pixel (x, y) is color(x, y), written by sharp as PNG or JPEG. */
async function writeImage(path: string, w: number, h: number, color: (x: number, y: number) => [number, number, number]): Promise<void> {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(color(x, y), 3 * (y * w + x));
  const img = sharp(raw, { raw: { width: w, height: h, channels: 3 } });
  await (path.endsWith('.png') ? img.png() : img.jpeg({ quality: 95 })).toFile(path);
}

async function rejects(p: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    for (const pat of patterns) assert.match(e.message, pat);
    return true;
  });
}

describe('a folder of PNG/JPEG images', () => {
  const solid = (i: number): [number, number, number] => [3 * i, 100, 255 - 2 * i];

  test('64 PNGs of mixed sizes become [64, 3, 16, 16], channel planes in file-name order', async () => {
    const dir = join(root, 'png64');
    mkdirSync(dir);
    for (let i = 0; i < 64; i++) {
      await writeImage(join(dir, `im${String(i).padStart(2, '0')}.png`), 20 + (i % 7) * 5, 16 + (i % 5) * 9, () => solid(i));
    }
    const ds = await loadImageFolder(dir, { size: 16, channels: 3 });
    assert.deepEqual([ds.n, ds.c, ds.h, ds.w], [64, 3, 16, 16]);
    assert.equal(ds.labels, undefined);
    assert.equal(ds.name, 'png64');
    for (const i of [0, 17, 63]) {
      const image = ds.pixels.subarray(i * 768, (i + 1) * 768);
      solid(i).forEach((v, ch) => assert.ok(image.subarray(ch * 256, (ch + 1) * 256).every((k) => Math.abs(k - v) <= 1), `image ${i} channel ${ch}`));
    }
    // Gray: the luminance of a solid colour, the same for every pixel.
    const gray = await loadImageFolder(dir, { size: 8, channels: 1 });
    assert.deepEqual([gray.n, gray.c, gray.h, gray.w], [64, 1, 8, 8]);
    const [r, g, b] = solid(17);
    const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const img17 = gray.pixels.subarray(17 * 64, 18 * 64);
    assert.ok(img17.every((k) => k === img17[0]) && Math.abs(img17[0] - luma) < 12, `gray ${img17[0]} vs luma ${luma.toFixed(1)}`);
  });

  test('scales the shorter side and crops the centre (JPEG)', async () => {
    const dir = join(root, 'crop');
    mkdirSync(dir);
    // 80 x 20: black left and right quarters, white middle half; the centre 20 x 20 is all white.
    await writeImage(join(dir, 'wide.jpg'), 80, 20, (x) => (x >= 20 && x < 60 ? [255, 255, 255] : [0, 0, 0]));
    const ds = await loadImageFolder(dir, { size: 10, channels: 1 });
    assert.deepEqual([ds.n, ds.c, ds.h, ds.w], [1, 1, 10, 10]);
    // The middle columns are white; squashing instead of cropping would make a third of them black.
    for (let y = 0; y < 10; y++) for (let x = 2; x < 8; x++) assert.ok(ds.pixels[y * 10 + x] > 240, `(${x}, ${y}) = ${ds.pixels[y * 10 + x]}`);
  });

  test('class subfolders give labels and class names', async () => {
    const dir = join(root, 'classes');
    for (const [c, count] of [['cats', 3], ['dogs', 2]] as const) {
      mkdirSync(join(dir, c), { recursive: true });
      for (let i = 0; i < count; i++) await writeImage(join(dir, c, `${i}.png`), 12, 12, () => solid(i));
    }
    const ds = await loadImageFolder(dir, { size: 4, channels: 3 });
    assert.deepEqual(ds.classNames, ['cats', 'dogs']);
    assert.deepEqual(Array.from(ds.labels ?? []), [0, 0, 0, 1, 1]);
  });

  test('a folder without images, a missing folder, a corrupt PNG and a bad size are one-line errors naming the path', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'no images here');
    await rejects(loadImageFolder(empty, { size: 8, channels: 1 }), /empty: no PNG or JPEG images/);
    await rejects(loadImageFolder(join(root, 'nowhere'), { size: 8, channels: 1 }), /nowhere: folder not found/);

    const broken = join(root, 'broken');
    mkdirSync(broken);
    await writeImage(join(broken, 'a.png'), 10, 10, () => [1, 2, 3]);
    const good = readFileSync(join(broken, 'a.png'));
    writeFileSync(join(broken, 'b.png'), good.subarray(0, good.length - 30)); // cut short
    await rejects(loadImageFolder(broken, { size: 8, channels: 3 }), /b\.png: cannot decode the image/, /replace or remove the file/);
    writeFileSync(join(broken, 'b.png'), Buffer.from('not a png at all'));
    await rejects(loadImageFolder(broken, { size: 8, channels: 3 }), /b\.png: cannot decode the image/);

    await rejects(loadImageFolder(root, { size: 1000, channels: 3 }), /image size must be a whole number of pixels from 2 to 256/);
  });

  test('a folder too large for memory is refused before decoding, with the estimate', async () => {
    const dir = join(root, 'png64');
    // 64 images x 3 x 128 x 128 values x 5 bytes = 15.7 MB against a 10 MB allowance.
    await rejects(loadImageFolder(dir, { size: 128, channels: 3, maxBytes: 10e6 }), /png64: 64 images of 3 x 128 x 128 need about 0\.02 GB/, /smaller image size/);
  });
});
