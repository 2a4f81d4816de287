/**
 * The app end to end in headless Chromium against the real server: create an experiment with
 * the wizard, watch the loss chart fill, stop it, see samples, reload and find it in the
 * history, train a second run from a cloned config, compare the two, export samples as CSV,
 * and import a bad CSV. Screenshots of each page go to test-artifacts/e2e/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './harness.js';

/** Generous limit for anything that waits on training: CI machines have 2 slow cores. */
const TRAIN_WAIT_MS = 120_000;

async function lossPoints(page: Page): Promise<number> {
  const text = await page.getByTestId('loss-points').first().textContent();
  return Number.parseInt(text ?? '0', 10);
}

async function fillWizardStep(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

describe('FlowLab in the browser', () => {
  let e: E2E;
  let page: Page;
  let firstRunId = '';
  let secondRunId = '';

  before(async () => {
    e = await startE2E();
    page = e.page;
  });

  after(async () => {
    await e?.close();
  });

  test('the runs page opens empty with a way to start', async () => {
    await page.goto(e.server.url);
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.getByText('No runs yet.').waitFor();
    await e.shot('01-runs-empty');
  });

  test('the wizard refuses an impossible setting with a message at the field', async () => {
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByRole('heading', { name: 'New experiment' }).waitFor();
    await page.getByRole('img', { name: 'Thumbnail of Two moons' }).waitFor();
    await e.shot('02-wizard-data');
    await page.getByRole('radio', { name: 'Two moons' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Linear/ }).check();
    await e.shot('03-wizard-interpolant');
    await page.getByRole('button', { name: 'Next' }).click();
    await fillWizardStep(page, 'Width (units per layer)', '32');
    await fillWizardStep(page, 'Depth (hidden layers)', '2');
    await page.getByRole('button', { name: 'Next' }).click();
    await fillWizardStep(page, 'Steps', '0');
    await page.getByRole('button', { name: 'Next' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'steps must be' });
    await alert.waitFor();
    assert.equal(await page.getByLabel('Steps', { exact: true }).getAttribute('aria-invalid'), 'true');
    await e.shot('04-wizard-invalid-steps');
  });

  test('a valid experiment starts and its loss chart receives points live', async () => {
    await fillWizardStep(page, 'Steps', '50000');
    await fillWizardStep(page, 'Batch size', '256');
    await fillWizardStep(page, 'Warmup steps', '10');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Run name').fill('e2e moons');
    await e.shot('05-wizard-review');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/#\/run\/r-/, { timeout: TRAIN_WAIT_MS });
    firstRunId = decodeURIComponent(page.url().split('#/run/')[1]);
    await page.getByRole('heading', { name: 'e2e moons' }).waitFor();
    await page.waitForFunction(() => Number.parseInt(document.querySelector('[data-testid="loss-points"]')?.textContent ?? '0', 10) > 0, null, { timeout: TRAIN_WAIT_MS });
    const first = await lossPoints(page);
    await page.waitForFunction((n) => Number.parseInt(document.querySelector('[data-testid="loss-points"]')?.textContent ?? '0', 10) > n, first, { timeout: TRAIN_WAIT_MS });
    assert.ok((await lossPoints(page)) > first, 'the chart keeps receiving points');
    await page.getByRole('progressbar', { name: 'Training progress' }).waitFor();
    await page.getByTestId('run-status').filter({ hasText: 'running' }).waitFor();
    await e.shot('06-run-live');
  });

  test('pause and resume change the run\'s state; stop ends it with samples shown', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('run-status').filter({ hasText: 'paused' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('run-status').filter({ hasText: 'running' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('run-status').filter({ hasText: 'stopped' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('img', { name: 'Samples against data' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByTestId('draw-ms').waitFor();
    await page.getByRole('button', { name: 'Continue training' }).waitFor();
    await e.shot('07-run-stopped');
  });

  test('after a reload the run is in the history with its losses', async () => {
    const points = await lossPoints(page);
    await page.reload();
    await page.getByRole('heading', { name: 'e2e moons' }).waitFor();
    await page.waitForFunction((n) => Number.parseInt(document.querySelector('[data-testid="loss-points"]')?.textContent ?? '0', 10) >= n, points);
    await page.getByRole('link', { name: 'Runs' }).click();
    const row = page.locator(`tr[data-run-id="${firstRunId}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /stopped/);
    await page.getByLabel('Search runs').fill('e2e');
    await row.waitFor();
    await page.getByLabel('Search runs').fill('no such run');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Search runs').fill('');
    await e.shot('08-runs-history');
  });

  test('a cloned config trains a second run to completion', async () => {
    await page.getByRole('link', { name: 'Clone the config of e2e moons' }).click();
    await page.getByText(`Settings copied from run ${firstRunId}.`).waitFor();
    await page.getByRole('button', { name: '4. Training' }).click();
    await fillWizardStep(page, 'Steps', '300');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Run name').fill('e2e moons short');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL((url) => /#\/run\/r-/.test(url.hash) && !url.hash.includes(firstRunId), { timeout: TRAIN_WAIT_MS });
    secondRunId = decodeURIComponent(page.url().split('#/run/')[1]);
    await page.getByTestId('run-status').filter({ hasText: 'completed' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('img', { name: 'Samples against data' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await e.shot('09-run-completed');
  });

  test('the time slider shows particles and the velocity field', async () => {
    await page.getByRole('button', { name: 'Sample trajectories' }).click();
    await page.getByRole('img', { name: 'Particles at t = 0.00' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByLabel('Time t').fill('20');
    await page.getByRole('img', { name: /Particles at t = 0\.5/ }).waitFor();
    await e.shot('10-run-flow');
    // Play runs on from t = 0.5 to the last snapshot and stops there; Play again starts over at 0
    const flow = page.getByRole('region', { name: /^Flow from/ });
    await flow.getByRole('button', { name: 'Play' }).click();
    await flow.getByRole('button', { name: 'Pause' }).waitFor();
    await page.getByRole('img', { name: 'Particles at t = 1.00' }).waitFor({ timeout: 30_000 });
    await flow.getByRole('button', { name: 'Play' }).waitFor();
    await flow.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('img', { name: /Particles at t = 0\.[0-4]/ }).waitFor();
    await flow.getByRole('button', { name: 'Pause' }).click();
    const t = Number(await page.getByLabel('Time t').inputValue());
    assert.ok(t < 40, `paused before the end (snapshot ${t})`);
  });

  test('samples export as CSV with a header and one row per sample', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Samples as CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${secondRunId}.csv`);
    const text = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    const stored = await page.getByRole('status').filter({ hasText: 'Downloaded' }).textContent();
    assert.match(stored ?? '', /Downloaded/);
    assert.ok(text.length > 100, `${text.length} rows`);
    assert.equal(text[0].split(',').length, 2);
    for (const line of text.slice(1)) {
      const cells = line.split(',').map(Number);
      assert.equal(cells.length, 2);
      assert.ok(cells.every(Number.isFinite), line);
    }
  });

  test('two runs compare side by side with their config differences', async () => {
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByLabel('Select e2e moons for comparison').check();
    await page.getByLabel('Select e2e moons short for comparison').check();
    await page.getByRole('button', { name: 'Compare selected (2)' }).click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    const diff = page.getByTestId('config-diff');
    await diff.getByRole('rowheader', { name: 'train.steps' }).waitFor();
    await diff.getByRole('rowheader', { name: 'name' }).waitFor();
    assert.equal(await diff.getByRole('rowheader', { name: 'net.width' }).count(), 0, 'equal settings are hidden');
    await page.waitForFunction(() => Number.parseInt(document.querySelector('[data-testid="loss-points"]')?.textContent ?? '0', 10) > 300);
    await e.shot('11-compare');
  });

  test('a training that diverges shows a clear message and keeps its losses', async () => {
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByRole('button', { name: '8 Gaussians, quick look' }).click();
    await page.getByRole('button', { name: '4. Training' }).click();
    await fillWizardStep(page, 'Learning rate', '1000000');
    await fillWizardStep(page, 'Warmup steps', '0');
    await page.getByLabel('Schedule', { exact: true }).selectOption('constant');
    await page.getByText('Optimizer details').click();
    await fillWizardStep(page, 'Gradient clip norm', '0');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Run name').fill('e2e diverging');
    await page.getByRole('button', { name: 'Start training' }).click();
    const failure = page.getByTestId('run-failure');
    await failure.waitFor({ timeout: TRAIN_WAIT_MS });
    assert.match((await failure.textContent()) ?? '', /training diverged/);
    await page.getByTestId('run-status').filter({ hasText: 'failed' }).waitFor();
    await page.getByRole('button', { name: 'Continue training' }).waitFor();
    await e.shot('12-run-diverged');
  });

  test('a bad CSV import shows its error in the wizard', async () => {
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByRole('button', { name: '1. Data' }).click();
    await page.getByLabel('Import a CSV or NPY file').setInputFiles({
      name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n1,2\n3,abc\n'),
    });
    const error = page.getByTestId('import-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /abc/);
    await e.shot('13-import-error');
  });

  test('a good CSV import shows its preview and per-column stats', async () => {
    const rows = ['u,v', ...Array.from({ length: 200 }, (_, i) => `${Math.cos(i)},${Math.sin(i) * 2}`)].join('\n');
    await page.getByLabel('Import a CSV or NPY file').setInputFiles({ name: 'circle.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
    await page.getByTestId('import-summary').filter({ hasText: '200 rows × 2 columns' }).waitFor();
    await page.getByRole('img', { name: 'Preview of the imported data' }).waitFor();
    await e.shot('14-import-preview');
  });

  test('a Gaussian typed in the wizard trains as the target from a toy base (data to data), and a base of another dimension is refused at its field', async () => {
    await page.getByRole('button', { name: 'Moons with straight paths' }).click();
    await page.getByRole('button', { name: '1. Data' }).click();
    const target = page.getByRole('group', { name: 'Target Gaussian' });
    await target.getByLabel('Mean').fill('1, -1');
    await target.getByLabel('Covariance').fill('1, 2; 2, 1');
    await target.getByRole('alert').filter({ hasText: 'not positive definite' }).waitFor();
    assert.equal(await target.getByRole('button', { name: 'Use as target data' }).isDisabled(), true);
    await target.getByLabel('Covariance').fill('0.5, 0.2; 0.2, 0.3');
    await page.getByTestId('target-gaussian-summary').filter({ hasText: '2-D Gaussian' }).waitFor();
    await target.getByRole('button', { name: 'Use as target data' }).click();
    await target.getByRole('status').filter({ hasText: 'In use' }).waitFor();

    await page.getByLabel('Base distribution').selectOption({ label: 'A Gaussian N(m, S) of your own…' });
    const base = page.getByRole('group', { name: 'Base Gaussian' });
    await base.getByLabel('Mean').fill('0, 0, 0');
    await base.getByLabel('Covariance').fill('');
    await base.getByRole('status').filter({ hasText: 'In use' }).waitFor(); // the base applies as typed
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').filter({ hasText: "base must have the dataset's dimension" }).waitFor();
    assert.equal(await page.getByLabel('Base distribution').getAttribute('aria-invalid'), 'true');
    await e.shot('15-wizard-gaussian-base-refused');

    await page.getByLabel('Base distribution').selectOption({ label: 'Two moons (data to data)' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await fillWizardStep(page, 'Width (units per layer)', '32');
    await fillWizardStep(page, 'Depth (hidden layers)', '2');
    await page.getByRole('button', { name: 'Next' }).click();
    await fillWizardStep(page, 'Steps', '400');
    await fillWizardStep(page, 'Batch size', '128');
    await fillWizardStep(page, 'Warmup steps', '10');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('gaussian:1,-1:0.5,0.2,0.2,0.3 (base: moons').waitFor();
    await page.getByLabel('Run name').fill('e2e gaussian from moons');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/#\/run\/r-/, { timeout: TRAIN_WAIT_MS });
    await page.getByTestId('run-status').filter({ hasText: 'completed' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('img', { name: 'Samples against data' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('heading', { name: 'Flow from moons to data' }).waitFor();
    await e.shot('16-run-gaussian-from-moons');
  });

  test('settings and the dark theme render', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('data-dir').filter({ hasText: e.dataDir }).waitFor();
    await page.getByRole('radio', { name: 'dark' }).check();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await e.shot('17-settings-dark');
    await page.goto(`${e.server.url}#/run/${encodeURIComponent(secondRunId)}`);
    await page.getByRole('img', { name: 'Samples against data' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await e.shot('18-run-dark');
  });

  test('no page error or Content-Security-Policy violation happened', () => {
    assert.deepEqual(e.pageErrors, []);
  });
});
