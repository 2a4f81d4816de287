/**
 * The first hour of a researcher, in headless Chromium against the real server: the wizard checks
 * the batch against an imported file, names runs after what they train, a bounded target's
 * undefined likelihood is explained, a diverging run is marked, metrics read as figures with
 * units, and samples export as asked. Screenshots go to test-artifacts/e2e/ (wb-*.png).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './harness.js';

/** Generous limit for anything that waits on training: CI machines have 2 slow cores. */
const TRAIN_WAIT_MS = 180_000;

function circleCsv(rows: number): Buffer {
  return Buffer.from(['u,v', ...Array.from({ length: rows }, (_, i) => `${Math.cos(i)},${Math.sin(i) * 2}`)].join('\n'));
}

async function runName(page: Page): Promise<string> {
  return page.getByLabel('Run name').inputValue();
}

describe('A researcher\'s first hour in the browser', () => {
  let e: E2E;
  let page: Page;
  let boundedRunUrl = '';

  before(async () => {
    e = await startE2E();
    page = e.page;
  });

  after(async () => {
    await e?.close();
  });

  test('a batch larger than an imported file\'s training rows is refused at the batch field, and the message goes once fixed', async () => {
    await page.goto(`${e.server.url}#/new`);
    await page.getByRole('heading', { name: 'New experiment' }).waitFor();
    await page.getByLabel('Import a CSV or NPY file').setInputFiles({ name: 'circle.csv', mimeType: 'text/csv', buffer: circleCsv(1000) });
    await page.getByTestId('import-summary').filter({ hasText: '1000 rows × 2 columns' }).waitFor();
    await page.getByRole('button', { name: '4. Training' }).click();
    const batch = page.getByLabel('Batch size', { exact: true });
    await batch.fill('1024');
    const alert = page.getByRole('alert').filter({ hasText: 'larger than the 900 training rows' });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /use 900 or less/);
    assert.equal(await batch.getAttribute('aria-invalid'), 'true');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('region', { name: 'Training' }).waitFor(); // Next is blocked
    await e.shot('wb-01-wizard-batch-rows');
    await batch.fill('256');
    await alert.waitFor({ state: 'detached' });
    assert.equal(await batch.getAttribute('aria-invalid'), null);
  });

  test('an empty box says it is empty, and the message leaves as soon as the box is filled', async () => {
    const steps = page.getByLabel('Steps', { exact: true });
    await steps.fill('');
    await page.getByRole('button', { name: 'Next' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'train.steps is empty' });
    await alert.waitFor();
    assert.doesNotMatch((await alert.textContent()) ?? '', /null/);
    await steps.fill('300');
    await alert.waitFor({ state: 'detached' });
  });

  test('the suggested name follows presets and imports; a typed name is not carried to the next run', async () => {
    await page.getByRole('button', { name: 'Checkerboard in 2 minutes' }).click();
    assert.equal(await runName(page), 'Checkerboard (quick)');
    await page.getByRole('button', { name: '8 Gaussians, quick look' }).click();
    assert.equal(await runName(page), '8 Gaussians (quick)');
    await page.getByRole('button', { name: '1. Data' }).click();
    await page.getByLabel('Import a CSV or NPY file').setInputFiles({ name: 'circle.csv', mimeType: 'text/csv', buffer: circleCsv(1000) });
    await page.getByTestId('import-summary').filter({ hasText: '1000 rows' }).waitFor();
    await page.getByRole('button', { name: '5. Review' }).click();
    assert.match(await runName(page), /circle.* · /);
    await e.shot('wb-02-wizard-name-after-import');
    await page.getByRole('button', { name: '4. Training' }).click();
    await page.getByLabel('Steps', { exact: true }).fill('200');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Run name').fill('my first run');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/#\/(run|job)\//, { timeout: TRAIN_WAIT_MS });
    await page.getByRole('heading', { name: 'my first run' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByRole('button', { name: '5. Review' }).click();
    const next = await runName(page);
    assert.notEqual(next, 'my first run');
    assert.match(next, /circle.* · /, 'the remembered settings still suggest their own name');
  });

  test('evaluating toward a bounded target says which figures are undefined and why; every figure has a name, unit and explanation', async () => {
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByRole('button', { name: '1. Data' }).click();
    await page.getByRole('radio', { name: 'Checkerboard' }).check();
    await page.getByLabel('Base distribution').selectOption({ label: 'Two moons (data to data)' });
    await page.getByRole('button', { name: '3. Velocity net' }).click();
    await page.getByLabel('Width (units per layer)', { exact: true }).fill('32');
    await page.getByLabel('Depth (hidden layers)', { exact: true }).fill('2');
    await page.getByRole('button', { name: '4. Training' }).click();
    await page.getByLabel('Steps', { exact: true }).fill('150');
    await page.getByLabel('Batch size', { exact: true }).fill('128');
    await page.getByLabel('Warmup steps', { exact: true }).fill('10');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Run name').fill('moons to checkerboard');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('heading', { name: 'moons to checkerboard' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByTestId('run-status').filter({ hasText: 'completed' }).waitFor({ timeout: TRAIN_WAIT_MS });
    boundedRunUrl = page.url();
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByRole('progressbar', { name: 'Evaluation progress' }).waitFor();
    await page.getByTestId('eval-elapsed').waitFor();
    const nll = page.getByTestId('metric-nll');
    await nll.waitFor({ timeout: TRAIN_WAIT_MS });
    assert.match((await nll.textContent()) ?? '', /Negative log-likelihood\s*.*undefined\s*nats/);
    assert.match((await page.getByTestId('metric-nll-why').textContent()) ?? '', /\d+ of \d+ points .*outside the support .*zero density/);
    assert.equal(await page.getByText('outside the contract').count(), 0);
    assert.doesNotMatch((await page.getByRole('region', { name: 'Metrics' }).textContent()) ?? '', /Infinity|NaN|camelCase|energyDistance/);
    const name = page.getByRole('rowheader', { name: 'Energy distance' });
    assert.match((await name.getAttribute('title')) ?? '', /distance between samples and held-out data/);
    const described = await name.getAttribute('aria-describedby');
    assert.match((await page.locator(`[id="${described}"]`).textContent()) ?? '', /lower is better/);
    assert.match((await page.getByTestId('metric-energyDistance').textContent()) ?? '', /data units/);
    assert.match((await page.getByTestId('metric-n').textContent()) ?? '', /Points evaluated\s*\d+\s*points/);
    await page.getByTestId('metric-nll').scrollIntoViewIfNeeded();
    await e.shot('wb-03-metrics-bounded-target');
  });

  test('lr 1000 without clipping is marked diverged with what to change, not a green "completed"', async () => {
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByRole('button', { name: '8 Gaussians, quick look' }).click();
    await page.getByRole('button', { name: '4. Training' }).click();
    await page.getByLabel('Learning rate', { exact: true }).fill('1000');
    await page.getByLabel('Warmup steps', { exact: true }).fill('0');
    await page.getByText('Optimizer details').click();
    await page.getByLabel('Gradient clip norm', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start training' }).click();
    const failure = page.getByTestId('run-failure');
    await failure.waitFor({ timeout: TRAIN_WAIT_MS });
    const text = (await failure.textContent()) ?? '';
    assert.match(text, /training diverged/);
    assert.match(text, /lower the learning rate \(train\.lr\) or enable gradient clipping \(train\.clipNorm/);
    await page.getByTestId('run-status').filter({ hasText: 'failed' }).waitFor();
    await e.shot('wb-04-run-diverged');
  });

  test('the export panel draws exactly the samples asked for (n, solver, tolerance, direction, seed) and saves them', async () => {
    await page.goto(boundedRunUrl);
    const panel = page.getByRole('region', { name: 'Draw and export samples' });
    await panel.waitFor({ timeout: TRAIN_WAIT_MS });
    await panel.getByLabel('Number of samples').fill('0');
    await panel.getByRole('button', { name: 'Draw samples' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Samples must be a whole number from 1 to' }).waitFor();
    await panel.getByLabel('Number of samples').fill('1234');
    await panel.getByLabel('Solver', { exact: true }).selectOption('dopri5');
    await panel.getByLabel('Tolerance').fill('0.0001');
    await panel.getByLabel('Seed').fill('7');

    const drawCsv = async (): Promise<string[]> => {
      await panel.getByRole('button', { name: 'Draw samples' }).click();
      await panel.getByTestId('drawn-summary').filter({ hasText: '1234 points of 2 dimensions generated with dopri5, tolerance 0.0001, seed 7' }).waitFor({ timeout: TRAIN_WAIT_MS });
      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Save as CSV' }).click()]);
      return readFileSync((await download.path())!, 'utf8').trim().split('\n');
    };
    const first = await drawCsv();
    assert.equal(first[0], 'x1,x2');
    assert.equal(first.length, 1 + 1234, 'exactly n rows, not the preview');
    assert.deepEqual(await drawCsv(), first, 'the same seed draws the same points');
    await e.shot('wb-05-export-panel');

    await panel.getByLabel('Direction').selectOption('encode');
    await panel.getByLabel('Solver', { exact: true }).selectOption('rk4');
    await panel.getByLabel('Solver steps').fill('20');
    await panel.getByRole('button', { name: 'Draw samples' }).click();
    await panel.getByTestId('drawn-summary').filter({ hasText: 'encoded with rk4, 20 steps, seed 7' }).waitFor({ timeout: TRAIN_WAIT_MS });
    const [npy] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Save as NPY' }).click()]);
    const bytes = readFileSync((await npy.path())!);
    assert.equal(bytes.subarray(1, 6).toString('latin1'), 'NUMPY');
    assert.match(bytes.subarray(10, 128).toString('latin1'), /'shape': \(1234, 2\)/);
  });

  test('the same panel draws samples for a pretrained model', async () => {
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'Open pretrained checkerboard model' }).click();
    const panel = page.getByRole('region', { name: 'Draw and export samples' });
    await panel.waitFor({ timeout: TRAIN_WAIT_MS });
    await panel.getByLabel('Number of samples').fill('500');
    await panel.getByRole('button', { name: 'Draw samples' }).click();
    await panel.getByTestId('drawn-summary').filter({ hasText: '500 points of 2 dimensions generated' }).waitFor({ timeout: TRAIN_WAIT_MS });
  });

  test('no page error or Content-Security-Policy violation happened', () => {
    assert.deepEqual(e.pageErrors, []);
  });
});
