// Decode + resize + centre-crop timing of image decoders on the same files (bench/README.md,
// "Image decoders"). Writes `count` PNGs and `count` JPEGs of mixed sizes (72..119 x 60..99,
// RGB) to a temp folder, then times each candidate turning every file into a 32 x 32 RGB uint8
// image (scale so the shorter side is 32, crop the centre). Needs the candidates installed:
//   npm install --no-save pngjs jpeg-js image-js @jsquash/png @jsquash/jpeg @jsquash/resize
// Usage: node bench/images/decoders.mjs [count ...]   (default 64 1000 32L); prints one JSON line per
// count. A count ending in L writes photo-sized images instead (12 times as wide and high: 864..1428 x 720..1188).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const SIZE = 32;

function writeImages(dir, count, big) {
  const { PNG } = require('pngjs');
  const jpeg = require('jpeg-js');
  for (let i = 0; i < count; i++) {
    const w = (72 + (i % 48)) * (big ? 12 : 1);
    const h = (60 + ((i * 7) % 40)) * (big ? 12 : 1);
    const rgba = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = 4 * (y * w + x);
        rgba[p] = (x * 255) / w;
        rgba[p + 1] = (y * 255) / h;
        rgba[p + 2] = ((x + y + i) * 37) & 255;
        rgba[p + 3] = 255;
      }
    }
    const png = new PNG({ width: w, height: h });
    rgba.copy(png.data);
    writeFileSync(join(dir, `img${i}.png`), PNG.sync.write(png));
    writeFileSync(join(dir, `img${i}.jpg`), jpeg.encode({ data: rgba, width: w, height: h }, 90).data);
  }
}

/** Cover-resize by area averaging, then centre crop: RGBA [h, w] -> RGB [SIZE, SIZE]. */
function coverResize(rgba, w, h) {
  const s = Math.min(w, h) / SIZE;
  const x0 = (w - s * SIZE) / 2;
  const y0 = (h - s * SIZE) / 2;
  const out = new Uint8Array(3 * SIZE * SIZE);
  for (let oy = 0; oy < SIZE; oy++) {
    const ya = Math.floor(y0 + oy * s);
    const yb = Math.max(ya + 1, Math.floor(y0 + (oy + 1) * s));
    for (let ox = 0; ox < SIZE; ox++) {
      const xa = Math.floor(x0 + ox * s);
      const xb = Math.max(xa + 1, Math.floor(x0 + (ox + 1) * s));
      let r = 0, g = 0, b = 0;
      for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) {
        const p = 4 * (y * w + x);
        r += rgba[p]; g += rgba[p + 1]; b += rgba[p + 2];
      }
      const a = (yb - ya) * (xb - xa);
      const q = 3 * (oy * SIZE + ox);
      out[q] = r / a; out[q + 1] = g / a; out[q + 2] = b / a;
    }
  }
  return out;
}

const candidates = {
  async sharp(files) {
    const sharp = require('sharp');
    return Promise.all(files.map((f) => sharp(f).resize(SIZE, SIZE, { fit: 'cover' }).removeAlpha().raw().toBuffer()));
  },
  async 'pngjs+jpeg-js'(files) {
    const { PNG } = require('pngjs');
    const jpeg = require('jpeg-js');
    return files.map((f) => {
      const bytes = readFileSync(f);
      const img = f.endsWith('.png') ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true });
      return coverResize(img.data, img.width, img.height);
    });
  },
  async 'image-js'(files) {
    const { decode } = await import('image-js');
    return files.map((f) => {
      const img = decode(readFileSync(f));
      const s = SIZE / Math.min(img.width, img.height);
      const r = img.resize({ width: Math.max(SIZE, Math.round(img.width * s)), height: Math.max(SIZE, Math.round(img.height * s)) });
      return r.crop({ origin: { column: (r.width - SIZE) >> 1, row: (r.height - SIZE) >> 1 }, width: SIZE, height: SIZE }).getRawImage().data;
    });
  },
  async '@jsquash'(files) {
    // Browser-first: needs an ImageData global and each wasm module handed over by path.
    globalThis.ImageData ??= class { constructor(data, width, height) { this.data = data; this.width = width; this.height = height; } };
    const png = await import('@jsquash/png/decode.js');
    const jpg = await import('@jsquash/jpeg/decode.js');
    const rs = await import('@jsquash/resize');
    const wasm = (p) => new WebAssembly.Module(readFileSync(require.resolve(p)));
    await png.init(wasm('@jsquash/png/codec/pkg/squoosh_png_bg.wasm'));
    await jpg.init(wasm('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'));
    await rs.initResize(wasm('@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm'));
    const out = [];
    for (const f of files) {
      const bytes = readFileSync(f);
      const img = f.endsWith('.png') ? await png.decode(bytes) : await jpg.default(bytes);
      const r = await rs.default(img, { width: SIZE, height: SIZE, fitMethod: 'contain' });
      out.push(r.data);
    }
    return out;
  },
};

for (const arg of process.argv.slice(2).length ? process.argv.slice(2) : ['64', '1000', '32L']) {
  const big = arg.endsWith('L');
  const count = parseInt(arg, 10);
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-decoders-'));
  writeImages(dir, count / 2, big);
  const files = readdirSync(dir).map((f) => join(dir, f));
  const result = { files: files.length, pngs: count / 2, jpegs: count / 2, photoSized: big, size: SIZE };
  for (const [name, run] of Object.entries(candidates)) {
    try {
      await run(files.slice(0, 4)); // load the module and warm up
      let best = Infinity;
      for (let pass = 0; pass < 3; pass++) {
        const t = performance.now();
        const out = await run(files);
        best = Math.min(best, performance.now() - t);
        if (out.length !== files.length) throw new Error(`${out.length} outputs`);
      }
      result[name] = Math.round(best);
    } catch (e) {
      result[name] = `failed: ${String(e.message ?? e).split('\n')[0]}`;
    }
  }
  console.log(JSON.stringify(result));
  rmSync(dir, { recursive: true });
}
