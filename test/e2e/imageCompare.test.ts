/**
 * Image runs side by side in headless Chromium against the real server: two tiny MNIST U-Nets
 * (trained and one evaluated before the server opens the folder) compared with a gallery each
 * from one noise seed; the image metrics panel's class histogram and nearest-training pairs; the
 * runs table's exports (PNG grid, NPY [n, 1, 28, 28], ONNX); and a pretrained image model built
 * into a temporary models folder, opened with its gallery, curve and figures.
 * Screenshots go to test-artifacts/e2e/imgcmp-*.png.
 */
import { IMAGE_SAMPLER } from '../../src-main/api/schemas.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { ROOT, startE2E, type E2E } from './harness.js';
import { defaultConfig, type ExperimentConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { runTraining } from '../../src-main/service/runTraining.js';
import { evaluateRun } from '../../src-main/service/evaluate.js';
import { buildPretrainedFromRun } from '../../src-main/service/pretrainedBuild.js';
import { readModel } from '../../src-main/engine/onnx/protoRead.js';

/** The sampler eps the pretrained model is shipped with (not the image default): the app must start from it. */
const SHIPPED_EPS = 0.8;

const WAIT_MS = 120_000;
/** The run's latest samples when the table exports them: the 64 its training drew at the end (the Compare page's draws are not kept). */
const LATEST_IMAGES = 64;

function tinyMnist(seed: number, name: string): ExperimentConfig {
  const c = defaultConfig('mnist', seed);
  c.name = name;
  c.net = { kind: 'unet', baseChannels: 4, channelMults: [1, 2], blocksPerLevel: 1, attention: false, timeFrequencies: 2 };
  Object.assign(c.train, { steps: 8, batch: 4, warmupSteps: 2 });
  c.threads = 1;
  return c;
}

async function saved(d: Download): Promise<Buffer> {
  return readFileSync((await d.path())!);
}

describe('image runs compared, measured, exported and shipped', () => {
  let e: E2E;
  let page: Page;
  const modelsDir = mkdtempSync(join(tmpdir(), 'flowlab-e2e-models-'));
  const ids: string[] = [];

  before(async () => {
    // the digit classifier stays beside the models the image figures need it
    for (const f of ['mnist-classifier.onnx', 'mnist-classifier.json']) copyFileSync(join(ROOT, 'models', f), join(modelsDir, f));
    process.env.FLOWLAB_MODELS_DIR = modelsDir;
    const dataDir = mkdtempSync(join(tmpdir(), 'flowlab-e2e-'));
    const store = openStore(dataDir);
    try {
      for (const [seed, name] of [[3, 'tiny digits A'], [4, 'tiny digits B']] as const) {
        ids.push((await runTraining({ store, config: tinyMnist(seed, name) })).runId);
      }
      await evaluateRun({ store, runId: ids[0], n: 8 });
      await buildPretrainedFromRun({ store, runId: ids[1], name: 'tiny-mnist', dir: modelsDir, evalN: 4, samples: 16, title: 'Tiny digits (pretrained)', sdeEps: SHIPPED_EPS });
    } finally {
      store.close();
    }
    e = await startE2E({ dataDir });
    page = e.page;
  });

  after(async () => {
    delete process.env.FLOWLAB_MODELS_DIR;
    await e?.close();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  test('the Compare page draws a gallery per image run from one noise seed, side by side', async () => {
    await page.goto(`${e.server.url}#/runs`);
    for (const name of ['tiny digits A', 'tiny digits B']) await page.getByRole('checkbox', { name: `Select ${name} for comparison` }).check();
    await page.getByRole('button', { name: /Compare selected/ }).click();
    await page.getByRole('heading', { name: 'Galleries from the same noise' }).waitFor();
    const galleries = page.getByTestId('compare-gallery');
    await page.getByRole('img', { name: /^Gallery of tiny digits B: rk4, 10 steps, seed 0$/ }).waitFor({ timeout: WAIT_MS });
    assert.equal(await galleries.count(), 2);
    const names = (await galleries.allTextContents()).map((t) => t.match(/tiny digits [AB]/)?.[0]).sort();
    assert.deepEqual(names, ['tiny digits A', 'tiny digits B']);
    const pixels = await page.getByRole('img', { name: /^Gallery of / }).evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).toDataURL()));
    assert.equal(pixels.length, 2);
    assert.notEqual(pixels[0], pixels[1], 'two nets draw different images from the same noise');
    // one control for all: another seed redraws both
    await page.getByLabel('Noise seed').fill('5');
    await page.getByRole('button', { name: 'Draw all galleries' }).click();
    await page.getByRole('img', { name: /^Gallery of tiny digits A: rk4, 10 steps, seed 5$/ }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('img', { name: /^Gallery of tiny digits B: rk4, 10 steps, seed 5$/ }).waitFor({ timeout: WAIT_MS });
    // the figures side by side carry their floor and standard error, by name
    const frechet = (await page.getByTestId('compare-metric-classifierFrechet').textContent())!;
    assert.match(frechet, /^Classifier Frechet distance.*[\d.]+ \(floor [\d.]+\).*[\d.]+ \(floor [\d.]+\)$/);
    assert.match((await page.getByTestId('compare-metric-bitsPerDim').textContent())!, /\(bits\/dim\)[\d.]+ ± [\d.]+/);
    await e.shot('imgcmp-01-compare');
  });

  test('an image run page shows its figures by name, the class histogram and samples beside their nearest training images', async () => {
    await page.goto(`${e.server.url}#/run/${encodeURIComponent(ids[0])}`);
    await page.getByRole('heading', { name: 'Image metrics' }).waitFor();
    const bpd = page.getByTestId('image-metrics-bitsPerDim');
    await bpd.waitFor();
    assert.match((await bpd.textContent())!, /^Bits per dimension\s*[\d.]+\s*± [\d.e-]+\s*bits\/dim/);
    assert.match((await page.getByTestId('image-metrics-classifierFrechet-floor').textContent())!, /^\s*[\d.]+/);
    assert.equal(await page.getByText('bitsPerDimStdErr').count(), 0, 'no raw keys');
    const histogram = page.getByRole('img', { name: /^Class histogram of samples/ });
    await histogram.waitFor();
    assert.match((await histogram.getAttribute('aria-labelledby'))!, /class-hist-desc/);
    assert.equal(await histogram.locator('rect.bar').count(), 10);
    await page.getByText('Class histogram as a table').click();
    assert.match((await page.getByTestId('class-row-0').textContent())!, /^0[\d.]+% ± [\d.]+%$/);
    await page.getByRole('button', { name: 'Find nearest training images' }).click();
    await page.getByTestId('nearest-pairs').waitFor({ timeout: WAIT_MS });
    const pairs = page.getByRole('img', { name: /^Sample \d+ \(left\) beside its nearest training image \(right\), distance [\d.]+ pixel units$/ });
    assert.equal(await pairs.count(), 8);
    const width = await pairs.first().evaluate((c) => (c as HTMLCanvasElement).width);
    assert.equal(width, 2 * 28 * 2 + 1, 'two 28-pixel images at scale 2 with a 1-pixel gap');
    await e.shot('imgcmp-02-image-metrics');
  });

  test('the runs table exports a run\'s gallery as a PNG grid, its samples as NPY [n, 1, 28, 28] and its net as ONNX', async () => {
    await page.goto(`${e.server.url}#/runs`);
    const row = page.locator(`tr[data-run-id="${ids[1]}"]`);
    await row.getByText('Export', { exact: true }).click();
    assert.ok(await page.getByRole('menu', { name: 'Exports of tiny digits B' }).isVisible());
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export tiny digits B: Gallery as PNG' }).click()]);
    const p = await saved(png);
    assert.deepEqual([...p.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const cols = Math.ceil(Math.sqrt(LATEST_IMAGES));
    assert.equal(p.readUInt32BE(16), cols * 29 - 1);
    assert.equal(p.readUInt32BE(20), Math.ceil(LATEST_IMAGES / cols) * 29 - 1);
    const [npy] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export tiny digits B: Samples as NPY [n, C, H, W]' }).click()]);
    const b = await saved(npy);
    const headerLength = b.readUInt16LE(8);
    assert.match(b.subarray(10, 10 + headerLength).toString('latin1'), new RegExp(`'shape': \\(${LATEST_IMAGES}, 1, 28, 28\\)`));
    assert.equal(b.length - 10 - headerLength, LATEST_IMAGES * 28 * 28 * 4);
    const [onnx] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export tiny digits B: Net as ONNX' }).click()]);
    const model = readModel(new Uint8Array(await saved(onnx)));
    assert.equal(model.metadata.shape, '[1,28,28]');
    assert.equal(model.metadata.run_id, ids[1]);
    await e.shot('imgcmp-03-runs-export');
  });

  test('a pretrained image model opens with its gallery, its recorded curve and its figures', async () => {
    const manifest = JSON.parse(readFileSync(join(modelsDir, 'tiny-mnist.json'), 'utf8'));
    await page.goto(`${e.server.url}#/runs`);
    const open = page.getByRole('button', { name: 'Open pretrained mnist model' });
    await open.waitFor();
    assert.match((await page.locator('.pretrained li').textContent())!, /Classifier Frechet distance [\d.]+ \(floor [\d.]+\)/);
    await open.click();
    await page.getByRole('heading', { name: 'Pretrained: Tiny digits (pretrained)' }).waitFor();
    await page.getByTestId('gallery').waitFor();
    const size = await page.getByTestId('gallery').evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    assert.deepEqual(size, [4 * (28 * 3 + 1) - 1, 4 * (28 * 3 + 1) - 1], 'the 16 shipped samples, 4 x 4 at scale 3');
    await page.getByText(`Samples at step ${manifest.training.steps}: ${IMAGE_SAMPLER.solver}, eps ${SHIPPED_EPS}, ${IMAGE_SAMPLER.steps} steps, seed 0, shipped with models/tiny-mnist.json`).waitFor();
    // the model's own eps is where both sampler panels start
    await page.locator('#gallery-solver').selectOption('em');
    assert.equal(await page.locator('#gallery-sde-eps').inputValue(), String(SHIPPED_EPS));
    assert.equal(await page.locator('#draw-sde-eps').inputValue(), String(SHIPPED_EPS));
    const points = Number(((await page.getByTestId('loss-points').first().textContent()) ?? '').match(/\d+/)?.[0]);
    assert.equal(points, manifest.curves.step.length, 'the recorded curve is the run\'s loss series');
    await page.getByTestId('image-metrics-bitsPerDim').waitFor();
    assert.match((await page.getByTestId('image-metrics-bitsPerDim').textContent())!, new RegExp(`${String(Number(manifest.metrics.bitsPerDim.toPrecision(4))).replace('.', '\\.')}`));
    await page.getByRole('img', { name: /^Class histogram of samples/ }).waitFor();
    assert.deepEqual(e.pageErrors, []);
    await e.shot('imgcmp-04-pretrained');
  });
});
