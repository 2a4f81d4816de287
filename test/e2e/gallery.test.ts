/**
 * Image experiments end to end in headless Chromium against the real server: pick MNIST in the
 * wizard (a tile of real digits), take the 15-minute U-Net preset and measure a step, start a
 * tiny run, watch the gallery fill and change, stop, redraw it with 8 Euler steps, export the
 * PNG grid and the NPY; interpolate two seeds, encode and decode held-out digits, follow the
 * noise to images along t with the velocity's heat map; and time a 1,000-image gallery draw.
 * Screenshots go to test-artifacts/e2e/gallery-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './harness.js';
import { gridRgba } from '../../src-renderer/lib/images.js';
import { DEFAULT_UNET } from '../../src-main/api/config.js';
import { IMAGE_SAMPLE_N } from '../../src-renderer/lib/sampleRequest.js';
import { IMAGE_SAMPLER } from '../../src-main/api/schemas.js';

const TRAIN_WAIT_MS = 180_000;
/** The tiny run: enough steps for two previews a couple of seconds apart. */
const TINY_STEPS = 60;

async function canvasPixels(page: Page, testid: string): Promise<string> {
  return page.getByTestId(testid).evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

async function galleryPixels(page: Page): Promise<string> {
  return canvasPixels(page, 'gallery');
}

/** Mean absolute difference of two equal-size cells of a canvas's grey channel (0..255). */
async function cellDifference(page: Page, testid: string, cellWidth: number, a: number, b: number): Promise<number> {
  return page.getByTestId(testid).evaluate((c, [w, i, j]) => {
    const cv = c as HTMLCanvasElement;
    const ctx = cv.getContext('2d')!;
    const p = ctx.getImageData(i * (w + 1), 0, w, cv.height).data;
    const q = ctx.getImageData(j * (w + 1), 0, w, cv.height).data;
    let s = 0;
    for (let k = 0; k < p.length; k += 4) s += Math.abs(p[k] - q[k]);
    return s / (p.length / 4);
  }, [cellWidth, a, b] as const);
}

async function cycleError(page: Page, steps: number): Promise<number> {
  await page.getByLabel('Encoding steps').fill(String(steps));
  await page.getByRole('button', { name: 'Encode and decode' }).click();
  const status = page.getByTestId('cycle-error');
  await page.getByText(new RegExp(`rk4, ${steps} steps each way`)).waitFor({ timeout: 120_000 });
  return Number((await status.textContent())!.replace('Mean cycle error ', ''));
}

describe('image galleries in the browser', () => {
  let e: E2E;
  let page: Page;

  before(async () => {
    // previews of image runs every 2 s instead of 30 s, so the gallery changes within the test
    process.env.FLOWLAB_IMAGE_PREVIEW_MS = '2000';
    e = await startE2E();
    page = e.page;
  });

  after(async () => {
    delete process.env.FLOWLAB_IMAGE_PREVIEW_MS;
    await e?.close();
  });

  test('the wizard offers MNIST with real examples and switches to a U-Net with presets and a measured step', async () => {
    await page.goto(`${e.server.url}#/new`);
    await page.getByRole('heading', { name: 'New experiment' }).waitFor();
    await page.getByRole('img', { name: 'Examples of MNIST digits' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('image-facts-mnist').textContent(), '28 × 28, 1 channel (gray), 10,000 images');
    // the examples are real digits: mostly black background with some bright strokes
    const ink = await page.getByTestId('examples-mnist').evaluate((c) => {
      const cv = c as HTMLCanvasElement;
      const px = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let bright = 0, dark = 0;
      for (let i = 0; i < px.length; i += 4) (px[i] > 200 ? bright++ : px[i] < 30 ? dark++ : 0);
      return { bright, dark, w: cv.width };
    });
    assert.equal(ink.w, 4 * 29 - 1);
    assert.ok(ink.dark > ink.bright && ink.bright > 500, JSON.stringify(ink));
    await page.getByRole('radio', { name: 'MNIST digits' }).check();
    await e.shot('gallery-01-wizard-mnist');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Base channels').waitFor();
    await page.getByLabel('Channel multipliers').fill('1, x');
    await page.getByText('must be whole numbers from 1 up').waitFor();
    await page.getByRole('button', { name: 'MNIST best quality' }).click();
    assert.equal(await page.getByLabel('Base channels').inputValue(), '32');
    await page.getByRole('button', { name: 'MNIST in 15 minutes' }).click();
    assert.equal(await page.getByLabel('Base channels').inputValue(), '8');
    assert.equal(await page.getByLabel('Channel multipliers').inputValue(), DEFAULT_UNET.channelMults.join(', '));
    await page.getByRole('button', { name: 'Measure a training step' }).click();
    await page.getByTestId('unet-params').waitFor({ timeout: 120_000 });
    const params = Number((await page.getByTestId('unet-params').textContent())!.replace(/,/g, ''));
    assert.ok(params > 1000 && params < 1_000_000, `parameters ${params}`);
    const perStep = Number((await page.getByTestId('unet-step-time').textContent())!.match(/^([\d.]+) s/)![1]);
    assert.ok(perStep > 0 && perStep < 30, `step ${perStep} s`);
    await e.shot('gallery-02-unet-step');
  });

  test('a tiny run fills the gallery, which changes while training; stop; redraw with 8 Euler steps', async () => {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Steps', { exact: true }).fill(String(TINY_STEPS));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('U-Net, 8 base channels').waitFor();
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/#\/run\//, { timeout: 60_000 });
    const gallery = page.getByTestId('gallery');
    await gallery.waitFor({ timeout: TRAIN_WAIT_MS });
    const caption = page.getByText(/^Preview at step \d+/);
    const firstCaption = await caption.textContent();
    const first = await galleryPixels(page);
    await e.shot('gallery-03-first-preview');
    await page.waitForFunction((c) => {
      const el = Array.from(document.querySelectorAll('figcaption')).find((f) => f.textContent?.startsWith('Preview at step'));
      return el !== undefined && el.textContent !== c;
    }, firstCaption, { timeout: TRAIN_WAIT_MS });
    assert.notEqual(await galleryPixels(page), first, 'a later preview draws other pixels');
    await gallery.click({ position: { x: 10, y: 10 } });
    await page.getByRole('heading', { name: 'Sample 1 of 16' }).waitFor();
    await e.shot('gallery-04-enlarged');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('run-status').filter({ hasText: 'stopped' }).waitFor({ timeout: TRAIN_WAIT_MS });

    await page.locator('#gallery-solver').selectOption('euler');
    await page.locator('#gallery-steps').fill('8');
    await page.getByRole('button', { name: 'Regenerate gallery' }).click();
    await page.getByText('Regenerated: euler, 8 steps, seed 0').waitFor({ timeout: 120_000 });
    assert.match((await page.getByTestId('sampler-cost').textContent())!, /^8 net evaluations, [\d.]+ s$/);
    await e.shot('gallery-05-euler-8');
    const euler = await galleryPixels(page);
    // the SDE sampler, with its diffusion eps, from the same seed: other pixels, one net evaluation a step
    await page.locator('#gallery-solver').selectOption('em');
    await page.locator('#gallery-sde-eps').fill('1');
    await page.getByRole('button', { name: 'Regenerate gallery' }).click();
    await page.getByText('Regenerated: em, 8 steps, eps 1, seed 0').waitFor({ timeout: 120_000 });
    assert.match((await page.getByTestId('sampler-cost').textContent())!, /^8 net evaluations, [\d.]+ s$/);
    assert.notEqual(await galleryPixels(page), euler, 'the SDE draws other images than the ODE from the same seed');
    await page.locator('#gallery-sde-eps').fill('-1');
    await page.getByRole('button', { name: 'Regenerate gallery' }).click();
    await page.getByText('Diffusion eps must lie in [0, 10] (0 is the ODE).').waitFor();
    // back to 8 Euler steps: the same seed redraws the same gallery, pixel for pixel
    await page.locator('#gallery-solver').selectOption('euler');
    await page.getByRole('button', { name: 'Regenerate gallery' }).click();
    await page.getByText('Regenerated: euler, 8 steps, seed 0').waitFor({ timeout: 120_000 });
    assert.equal(await galleryPixels(page), euler, 'one seed, one solver: one gallery');
  });

  test('the gallery exports as a PNG grid and the samples as NPY [16, 1, 28, 28]', async () => {
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export gallery as PNG' }).click()]);
    const bytes = readFileSync((await png.path())!);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: width and height of a 4 x 4 grid of 28-pixel images with 1-pixel gaps
    assert.equal(bytes.readUInt32BE(16), 4 * 29 - 1);
    assert.equal(bytes.readUInt32BE(20), 4 * 29 - 1);
    const [npy] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export samples as NPY' }).click()]);
    const b = readFileSync((await npy.path())!);
    assert.equal(b.subarray(1, 6).toString('latin1'), 'NUMPY');
    const headerLength = b.readUInt16LE(8);
    assert.match(b.subarray(10, 10 + headerLength).toString('latin1'), /'shape': \(16, 1, 28, 28\)/);
    assert.equal(b.length - 10 - headerLength, 16 * 28 * 28 * 4);
    const values = new Float32Array(b.buffer.slice(b.byteOffset + 10 + headerLength, b.byteOffset + b.length));
    assert.ok(values.every(Number.isFinite));
    assert.deepEqual(e.pageErrors, []);
  });

  test('two seeds interpolate to a row of 8 digits whose ends differ', async () => {
    await page.getByLabel('Seed A', { exact: true }).fill('0');
    await page.getByLabel('Seed B', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Interpolate seeds' }).click();
    const row = page.getByTestId('interpolation-row');
    await row.waitFor({ timeout: 120_000 });
    assert.equal(await page.getByTestId('interpolation-caption').textContent(), 'Seed 0 to seed 5, 8 points, rk4 10 steps (spherical: every point keeps the noise\'s norm)');
    // 8 images of 28 pixels at 3x with 1-pixel gaps, in one row
    assert.equal(await row.evaluate((c) => (c as HTMLCanvasElement).width), 8 * (28 * 3 + 1) - 1);
    assert.equal(await row.evaluate((c) => (c as HTMLCanvasElement).height), 28 * 3);
    const ends = await cellDifference(page, 'interpolation-row', 28 * 3, 0, 7);
    const neighbours = await cellDifference(page, 'interpolation-row', 28 * 3, 0, 1);
    assert.ok(ends > 1, `the two seeds' images differ (${ends})`);
    assert.ok(neighbours < ends, `neighbours (${neighbours}) are closer than the ends (${ends})`);
    await row.scrollIntoViewIfNeeded();
    await e.shot('gallery-06-interpolation');
  });

  test('held-out digits encode to noise and decode back; the cycle error falls with more rk4 steps', async () => {
    await page.getByLabel('Held-out images', { exact: true }).fill('0, 1, 2');
    await page.getByLabel('Encoding solver').selectOption('rk4');
    const coarse = await cycleError(page, 2);
    for (const id of ['cycle-original', 'cycle-noise', 'cycle-reconstruction']) {
      assert.equal(await page.getByTestId(id).evaluate((c) => (c as HTMLCanvasElement).width), 3 * (28 * 3 + 1) - 1);
    }
    assert.equal(await page.getByRole('region', { name: 'Encode and decode real images' }).getByRole('row').count(), 4);
    const fine = await cycleError(page, 16);
    assert.ok(Number.isFinite(coarse) && coarse > 0 && fine < coarse, `cycle error ${coarse} at 2 steps, ${fine} at 16`);
    console.log(`browser: cycle error ${coarse.toExponential(2)} at rk4 2 steps, ${fine.toExponential(2)} at 16`);
    await page.getByLabel('Held-out images', { exact: true }).fill('0, x');
    await page.getByRole('button', { name: 'Encode and decode' }).click();
    await page.getByText('Held-out images must list 1 to 32 indices').waitFor();
    await page.getByTestId('cycle-reconstruction').scrollIntoViewIfNeeded();
    await e.shot('gallery-07-encode-decode');
  });

  test('noise to image: the time slider (keyboard) and Play change the row and the velocity heat map', async () => {
    await page.getByRole('button', { name: 'Follow the noise' }).click();
    const rowCanvas = page.getByTestId('noise-row');
    await rowCanvas.waitFor({ timeout: 120_000 });
    const slider = page.getByLabel('Image time t');
    assert.equal(await page.getByTestId('noise-time').textContent(), '0.00');
    assert.ok(Number(await page.getByTestId('speed-max').textContent()) > 0);
    await page.getByRole('group', { name: 'Colour scale of the velocity magnitude' }).waitFor();
    const row0 = await canvasPixels(page, 'noise-row');
    const heat0 = await canvasPixels(page, 'speed-row');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByTestId('noise-time').textContent(), '0.05');
    await page.keyboard.press('End');
    assert.equal(await page.getByTestId('noise-time').textContent(), '1.00');
    await page.getByRole('img', { name: 'Velocity magnitude per pixel at t = 1.00' }).waitFor();
    assert.notEqual(await canvasPixels(page, 'noise-row'), row0, 'the row at t = 1 differs from the noise');
    assert.notEqual(await canvasPixels(page, 'speed-row'), heat0, 'the heat map at t = 1 differs from t = 0');
    await rowCanvas.scrollIntoViewIfNeeded();
    await e.shot('gallery-08-noise-to-image-t1');
    await page.keyboard.press('Home');
    await page.getByRole('button', { name: 'Play noise to image' }).click();
    await page.getByRole('button', { name: 'Pause noise to image' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="noise-time"]')?.textContent === '1.00', null, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Play noise to image' }).waitFor();
    await slider.focus();
    await page.keyboard.press('Home');
    await page.getByTestId('noise-time').filter({ hasText: '0.00' }).waitFor();
    assert.equal(await canvasPixels(page, 'speed-row'), heat0, 'back at t = 0 the heat map is the first frame again');
    await page.getByRole('button', { name: 'Play noise to image' }).click();
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: 'Pause noise to image' }).click();
    const paused = await page.getByTestId('noise-time').textContent();
    assert.ok(Number(paused) > 0 && Number(paused) < 1, `paused at t = ${paused}`);
    await e.shot('gallery-09-noise-to-image-paused');
    assert.deepEqual(e.pageErrors, []);
  });

  test('the shipped pretrained MNIST model opens with its gallery, its recorded curve and its figures', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../models/mnist.json', import.meta.url), 'utf8'));
    await page.goto(`${e.server.url}#/runs`);
    const open = page.getByRole('button', { name: 'Open pretrained mnist model' });
    await open.waitFor();
    await open.click();
    await page.getByRole('heading', { name: `Pretrained: ${manifest.title}` }).waitFor();
    await page.getByTestId('gallery').waitFor();
    await page.getByText(new RegExp(`Samples at step ${manifest.training.steps}: .*shipped with models/mnist\\.json`)).waitFor();
    const points = Number(((await page.getByTestId('loss-points').first().textContent()) ?? '').match(/\d+/)?.[0]);
    assert.equal(points, manifest.curves.step.length, 'the recorded curve is the run\'s loss series');
    await page.getByTestId('image-metrics-bitsPerDim').waitFor();
    assert.match((await page.getByTestId('image-metrics-bitsPerDim').textContent())!, new RegExp(String(Number(manifest.metrics.bitsPerDim.toPrecision(4))).replace('.', '\\.')));
    await page.getByRole('img', { name: /^Class histogram of samples/ }).waitFor();
    assert.equal(await page.getByLabel('Number of samples').inputValue(), String(IMAGE_SAMPLE_N), 'an image run draws a gallery\'s worth, not 10,000 images');
    // ... with the image sampler the CLI uses for images, at the model's own eps
    assert.equal(await page.locator('#draw-solver').inputValue(), IMAGE_SAMPLER.solver);
    assert.equal(await page.getByLabel('Solver steps').inputValue(), String(IMAGE_SAMPLER.steps));
    assert.equal(await page.locator('#draw-sde-eps').inputValue(), String(manifest.config.images?.sdeEps ?? IMAGE_SAMPLER.sdeEps));
    assert.deepEqual(e.pageErrors, []);
    await e.shot('gallery-10-pretrained-mnist');
  });

  test('a 1,000-image 28 x 28 gallery draws in the browser (figure printed; the budget is in bench/flowlab/ui.ts)', async () => {
    const bench = await e.browser.newPage();
    const ms = await bench.evaluate(async (src) => {
      // __name: the TypeScript loader names inner functions with a helper the page lacks
      const grid = new Function(`const __name = (f) => f; return ${src}`)() as typeof gridRgba;
      const n = 1000, d = 784;
      const images = new Float32Array(n * d);
      for (let i = 0; i < images.length; i++) images[i] = Math.sin(i * 0.37);
      const canvas = document.createElement('canvas');
      const times: number[] = [];
      for (let k = 0; k < 7; k++) {
        const t0 = performance.now();
        const img = grid(images, n, [1, 28, 28], 32, 1, 1);
        canvas.width = img.width;
        canvas.height = img.height;
        canvas.getContext('2d')!.putImageData(img, 0, 0);
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[3];
    }, gridRgba.toString());
    await bench.close();
    console.log(`1,000-image 28x28 gallery draw: median ${ms.toFixed(1)} ms`);
    assert.ok(ms > 0);
  });
});
