/**
 * The workbench a tracker user expects, in headless Chromium against the real server: plots with
 * axes and a projection for data of more than two dimensions, pretrained models that arrive with
 * their training curve, samples and dated metrics, a runs table that shows every job, and the
 * run page's curves and sample history. Screenshots go to test-artifacts/e2e/ (wb2-*.png).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, startE2E, type E2E } from './harness.js';

/** Generous limit for anything that waits on training: CI machines have 2 slow cores. */
const TRAIN_WAIT_MS = 180_000;

/** Points on a tilted ellipse in 3-D: the first principal component is not a coordinate axis. */
function ellipseCsv(rows: number): Buffer {
  const lines = ['a,b,c'];
  for (let i = 0; i < rows; i++) {
    const u = 3 * Math.cos(i), v = 0.5 * Math.sin(i);
    lines.push(`${u + v},${u - v},${0.2 * Math.sin(3 * i)}`);
  }
  return Buffer.from(lines.join('\n'));
}

async function startSmallRun(page: Page, e: E2E, name: string, steps: number, importFile?: { name: string; buffer: Buffer }, seed?: number, waitForRun = true): Promise<void> {
  await page.goto(`${e.server.url}#/new`);
  await page.getByRole('heading', { name: 'New experiment' }).waitFor();
  if (importFile) {
    await page.getByLabel('Import a CSV or NPY file').setInputFiles({ ...importFile, mimeType: 'text/csv' });
    await page.getByTestId('import-summary').waitFor();
  } else {
    await page.getByRole('button', { name: '8 Gaussians, quick look' }).click();
  }
  await page.getByRole('button', { name: '3. Velocity net' }).click();
  await page.getByLabel('Width (units per layer)', { exact: true }).fill('32');
  await page.getByLabel('Depth (hidden layers)', { exact: true }).fill('2');
  await page.getByRole('button', { name: '4. Training' }).click();
  await page.getByLabel('Steps', { exact: true }).fill(String(steps));
  await page.getByLabel('Batch size', { exact: true }).fill('128');
  await page.getByLabel('Warmup steps', { exact: true }).fill('10');
  if (seed !== undefined) await page.getByLabel('Seed', { exact: true }).fill(String(seed));
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Run name').fill(name);
  await page.getByRole('button', { name: 'Start training' }).click();
  if (waitForRun) await page.getByRole('heading', { name }).waitFor({ timeout: TRAIN_WAIT_MS });
  else await page.waitForURL(/#\/(run|job)\//, { timeout: TRAIN_WAIT_MS });
}

/** Steps of the two seed runs: long enough to pause one and to draw several previews. */
const SEED_RUN_STEPS = 5000;

describe('The workbench of a tracker user', () => {
  let e: E2E;
  let page: Page;
  let seedOneId = '';

  before(async () => {
    // previews every 300 ms: the short seed runs record several, however fast the machine trains them
    process.env.FLOWLAB_PREVIEW_MS = '300';
    e = await startE2E();
    page = e.page;
  });

  after(async () => {
    delete process.env.FLOWLAB_PREVIEW_MS;
    const errors = [...(e?.pageErrors ?? [])];
    await e?.close();
    assert.deepEqual(errors, [], 'no page errors');
  });

  test('the wizard\'s interpolant curves have a t axis and a coefficient axis with tick values', async () => {
    await page.goto(`${e.server.url}#/new`);
    await page.getByRole('button', { name: '2. Interpolant' }).click();
    const plot = page.getByRole('img', { name: /Coefficients .* of the trig interpolant/ });
    assert.match((await plot.getAttribute('aria-label')) ?? '', /horizontal axis t from 0 to 1, vertical axis coefficient from 0 to 1/);
    await e.shot('wb2-01-interpolant-axes');
  });

  test('a pretrained model opens with its training curve, its samples, its duration and the date it was measured', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'models', '8gaussians.json'), 'utf8'));
    await page.goto(`${e.server.url}#/runs`);
    await page.getByRole('button', { name: 'Open pretrained 8gaussians model' }).click();
    await page.getByRole('heading', { name: 'Pretrained: 8 Gaussians (pretrained)' }).waitFor();
    const points = Number(((await page.getByTestId('loss-points').textContent()) ?? '').match(/\d+/)?.[0]);
    assert.equal(points, manifest.curves.step.length, 'the shipped curve is the run\'s loss series');
    assert.ok(points >= 100);
    assert.equal(await page.getByTestId('no-samples').count(), 0);
    const summary = (await page.getByTestId('run-summary').textContent()) ?? '';
    assert.match(summary, new RegExp(`${manifest.training.steps} steps`));
    assert.doesNotMatch(summary, /0\.0s/);
    assert.match(summary, /\dm \d\ds/, 'the recorded training time, in minutes');
    assert.match((await page.getByRole('img', { name: /^Samples against data;/ }).getAttribute('aria-label')) ?? '', /horizontal axis x1 from -\d+ to \d+, vertical axis x2 from -\d+ to \d+/);
    const evaluated = (await page.getByRole('region', { name: 'Metrics' }).textContent()) ?? '';
    const day = new Date(manifest.evaluatedAt).toLocaleString(undefined, { dateStyle: 'medium' });
    assert.match(evaluated, new RegExp(`Evaluated ${day.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'the manifest\'s date, not the import\'s');
    await e.shot('wb2-02-pretrained-run');
  });

  test('data of three dimensions is drawn through a chosen projection, and the velocity arrows say why they are off', async () => {
    await startSmallRun(page, e, 'tilted ellipse 3-D', 150, { name: 'ellipse.csv', buffer: ellipseCsv(1000) });
    await page.getByTestId('run-status').filter({ hasText: 'completed' }).waitFor({ timeout: TRAIN_WAIT_MS });
    const scatter = page.getByRole('img', { name: /^Samples against data;/ });
    await scatter.waitFor();
    assert.match((await scatter.getAttribute('aria-label')) ?? '', /horizontal axis PC1 .* vertical axis PC2/);
    const projection = page.getByLabel('Samples against data projection');
    const options = await projection.locator('option').allTextContents();
    assert.deepEqual(options, ['PCA: first two principal components', 'x1 against x2', 'x1 against x3', 'x2 against x3']);
    await projection.selectOption({ label: 'x1 against x3' });
    assert.match((await scatter.getAttribute('aria-label')) ?? '', /horizontal axis x1 from .* vertical axis x3 from/);
    await page.getByRole('button', { name: 'Sample trajectories' }).click();
    await page.getByRole('img', { name: /^Particles at t = 0\.00;.*PC1/ }).waitFor({ timeout: TRAIN_WAIT_MS });
    const arrows = page.getByRole('checkbox', { name: 'Velocity arrows' });
    assert.equal(await arrows.isDisabled(), true);
    const why = await arrows.getAttribute('aria-describedby');
    assert.match((await page.locator(`[id="${why}"]`).textContent()) ?? '', /2-D data only: this data has 3 dimensions/);
    await e.shot('wb2-03-projection-3d');
  });

  test('queued trainings are rows of the runs table, a running row shows its elapsed time, and the wide table scrolls at 800 px', async () => {
    await startSmallRun(page, e, 'gaussians seed one', SEED_RUN_STEPS, undefined, 1);
    await startSmallRun(page, e, 'gaussians seed two', SEED_RUN_STEPS, undefined, 2, false);
    await page.goto(`${e.server.url}#/runs`);
    const queuedRow = page.locator('tr[data-job-id]').filter({ hasText: 'gaussians seed two' });
    await queuedRow.waitFor();
    assert.match((await queuedRow.textContent()) ?? '', /queued.*1 in the queue/);
    await queuedRow.getByRole('button', { name: 'Cancel gaussians seed two' }).waitFor();
    const running = page.locator('tr[data-run-id]').filter({ hasText: 'gaussians seed one' });
    await running.filter({ hasText: 'running' }).waitFor({ timeout: TRAIN_WAIT_MS });
    seedOneId = (await running.getAttribute('data-run-id')) ?? '';
    const duration = running.getByTestId('run-duration');
    await page.waitForFunction((el) => !!el && el.textContent !== '0.0s' && el.textContent !== '—', await duration.elementHandle(), { timeout: 10_000 });
    await page.setViewportSize({ width: 800, height: 900 });
    const box = page.getByRole('region', { name: 'Runs table' });
    const [scrollWidth, clientWidth] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(scrollWidth > clientWidth, 'the table scrolls sideways inside its box');
    const del = running.getByRole('button', { name: 'Delete gaussians seed one' });
    await del.scrollIntoViewIfNeeded();
    const b = await del.boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 800, 'the last column is reachable');
    await e.shot('wb2-04-runs-800px-queued-running');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('a paused run says "paused" instead of a frozen rate and ETA', async () => {
    await page.goto(`${e.server.url}#/run/${seedOneId}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('run-status').filter({ hasText: 'paused' }).waitFor();
    await page.getByTestId('progress-paused').waitFor();
    assert.equal(await page.getByText(/steps\/s|left$/).count(), 0);
    await e.shot('wb2-05-run-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('progress-paused').waitFor({ state: 'detached' });
    await page.getByTestId('run-status').filter({ hasText: 'completed' }).waitFor({ timeout: TRAIN_WAIT_MS });
  });

  test('the run page draws gradient norm and learning rate beside the loss, by step or training time, downloads them as CSV, and scrubs the sample history', async () => {
    await page.reload();
    await page.getByTestId('run-status').filter({ hasText: 'completed' }).waitFor();
    assert.match((await page.getByTestId('run-summary').textContent()) ?? '', /loss \S+ \(mean of last 100 steps\)/);
    assert.doesNotMatch((await page.getByTestId('run-summary').textContent()) ?? '', /best/);
    const lossPoints = Number(((await page.getByTestId('loss-points').textContent()) ?? '').match(/\d+/)?.[0]);
    assert.equal(lossPoints, SEED_RUN_STEPS);
    assert.equal(Number(((await page.getByTestId('gradient-norm-points').textContent()) ?? '').match(/\d+/)?.[0]), SEED_RUN_STEPS);
    await page.getByRole('figure', { name: /^Learning rate chart by step/ }).waitFor();
    await page.getByLabel('Curves x axis').selectOption({ label: 'Training time' });
    await page.getByRole('figure', { name: /^Loss chart by training time \(s\), \d+ points/ }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download curves (CSV)' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'step,seconds,loss,grad_norm,lr');
    assert.equal(csv.length, SEED_RUN_STEPS + 1);
    const rows = csv.slice(1).map((l) => l.split(',').map(Number));
    assert.ok(rows.every((r, i) => r[0] === i && r[2] > 0 && r[3] > 0), 'every step has a loss and a gradient norm');
    assert.ok(rows.every((r, i) => i === 0 || r[1] >= rows[i - 1][1]), 'training time never runs backwards');
    assert.ok(Math.abs(rows[0][4] - rows[9][4] / 10) < 1e-12 && rows[9][4] > 0, 'step 0 of a 10-step warmup runs at a tenth of the rate step 9 reaches');
    assert.ok(rows.at(-1)![4] < rows[20][4], 'the cosine schedule decays');
    const slider = page.getByRole('slider', { name: 'Sample history' });
    await slider.waitFor();
    const last = (await page.getByTestId('history-step').textContent()) ?? '';
    assert.match(last, /preview (\d+) of \1/);
    await slider.focus();
    await page.keyboard.press('Home');
    await page.getByTestId('history-step').filter({ hasText: /preview 1 of/ }).waitFor();
    const firstStep = ((await page.getByTestId('history-step').textContent()) ?? '').match(/step (\d+)/)![1];
    await page.getByRole('heading', { name: new RegExp(`Samples against data \\(step ${firstStep}\\)`) }).waitFor();
    assert.ok(Number(firstStep) < SEED_RUN_STEPS);
    await e.shot('wb2-06-run-curves-history');
    await page.getByRole('button', { name: 'Show the latest samples' }).click();
    await page.getByRole('heading', { name: new RegExp(`Samples against data \\(step ${SEED_RUN_STEPS}\\)`) }).waitFor();
  });

  test('the runs table compares windowed losses and evaluation figures, within a dataset, filters by a bound, and groups seeds as mean ± std', async () => {
    await page.goto(`${e.server.url}#/runs`);
    await page.locator('tr[data-run-id]').filter({ hasText: 'gaussians seed two' }).filter({ hasText: 'completed' }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.reload();
    const table = page.getByRole('table', { name: 'Runs' });
    await table.getByRole('button', { name: 'Loss (last 100 steps)' }).click();
    assert.match((await page.getByTestId('sort-note').textContent()) ?? '', /within each dataset/);
    const datasets = await table.locator('tbody tr[data-run-id] td:nth-child(4)').allTextContents();
    const runsOf = datasets.filter((d, i) => d !== datasets[i - 1]);
    assert.equal(runsOf.length, new Set(datasets).size, 'each dataset\'s rows are together');
    const pretrainedKl = table.locator('tr[data-run-id]').filter({ hasText: 'Pretrained' }).locator('td[data-figure="klGap"]');
    assert.match((await pretrainedKl.textContent()) ?? '', /^\d/);
    await page.getByLabel('Filter by figure').selectOption({ label: 'KL gap (nats)' });
    await page.getByLabel('Figure bound').fill('abc');
    const alert = page.getByRole('alert').filter({ hasText: 'the bound must be a number' });
    await alert.waitFor();
    await page.getByLabel('Figure bound').fill('1');
    await alert.waitFor({ state: 'detached' });
    assert.deepEqual(await table.locator('tbody tr[data-run-id] td:nth-child(2) a').allTextContents(), ['Pretrained: 8 Gaussians (pretrained)']);
    await page.getByLabel('Figure bound').fill('');
    await page.getByLabel('Group by seed').check();
    const group = page.getByRole('table', { name: 'Runs grouped by seed' }).getByRole('row').filter({ hasText: 'gaussians seed' });
    assert.match((await group.textContent()) ?? '', /1, 2 \(2 runs\)/);
    assert.match((await group.locator('td[data-figure="recentLoss"]').textContent()) ?? '', /^[\d.e-]+ ± [\d.e-]+$/);
    await e.shot('wb2-07-runs-figures-groups');
  });

  test('an invalid thread count on the Settings page is a one-line message at the field', async () => {
    await page.goto(`${e.server.url}#/settings`);
    await page.getByTestId('data-dir').filter({ hasText: e.dataDir }).waitFor(); // the saved settings have arrived
    const threads = page.getByLabel('Threads');
    await threads.fill('2.5');
    const alert = page.getByRole('alert').filter({ hasText: /^Threads must be a whole number from 0 to 256 \(0 = one per core\), got '2\.5'$/ });
    await alert.waitFor();
    assert.equal(await threads.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).isDisabled(), true);
    await e.shot('wb2-08-settings-threads');
    await threads.fill('2');
    await alert.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: backend' }).waitFor();
  });

  test('a sweep queues one run per seed, named by its value, and the runs table groups them as mean ± std', async () => {
    await page.goto(`${e.server.url}#/new`);
    await page.getByRole('button', { name: '8 Gaussians, quick look' }).click();
    await page.getByRole('button', { name: '3. Velocity net' }).click();
    await page.getByLabel('Width (units per layer)', { exact: true }).fill('16');
    await page.getByLabel('Depth (hidden layers)', { exact: true }).fill('2');
    await page.getByRole('button', { name: '4. Training' }).click();
    await page.getByLabel('Steps', { exact: true }).fill('100');
    await page.getByLabel('Batch size', { exact: true }).fill('64');
    await page.getByLabel('Warmup steps', { exact: true }).fill('10');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Run name').fill('gaussians sweep');
    await page.getByLabel('Queue a sweep').check();
    await page.getByLabel('Sweep setting').selectOption({ label: 'Seed' });
    const values = page.getByLabel('Values (comma separated)');
    await values.fill('1, x');
    const alert = page.getByRole('alert').filter({ hasText: /^sweep values must be numbers separated by commas, got 'x'$/ });
    await alert.waitFor();
    await values.fill('1, 2, 3');
    await alert.waitFor({ state: 'detached' });
    await e.shot('wb2-09-wizard-sweep');
    await page.getByRole('button', { name: 'Queue the sweep' }).click();
    await page.waitForURL(/#\/runs/);
    for (const seed of [1, 2, 3]) {
      await page.locator('tr[data-run-id]').filter({ hasText: `gaussians sweep · seed=${seed}` }).filter({ hasText: 'completed' }).waitFor({ timeout: TRAIN_WAIT_MS });
    }
    await page.getByLabel('Group by seed').check();
    const group = page.getByRole('table', { name: 'Runs grouped by seed' }).getByRole('row').filter({ hasText: 'gaussians sweep' });
    assert.match((await group.textContent()) ?? '', /1, 2, 3 \(3 runs\)/);
    assert.match((await group.locator('td[data-figure="recentLoss"]').textContent()) ?? '', /^[\d.e-]+ ± [\d.e-]+$/);
  });
});
