/**
 * The paper's additions in the app, in headless Chromium against the real server: the run page
 * shows the live field error beside the loss for a target with an exact field, the export panel
 * draws with the SDE samplers at a chosen eps, the metrics panel measures the NLL at a time T, and
 * the wizard's Training step offers the minibatch-OT pairing (recorded with the run), and Compare
 * sets runs' figures and sampler steps side by side. Screenshots go to test-artifacts/e2e/ (paper-*.png).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './harness.js';

const TRAIN_WAIT_MS = 180_000;

describe('Shorter paths, field error and SDE sampling in the browser', () => {
  let e: E2E;
  let page: Page;

  before(async () => {
    e = await startE2E();
    page = e.page;
  });

  after(async () => {
    await e?.close();
  });

  /** A small 8 Gaussians run through the wizard, with the pairing chosen on the Training step. */
  async function trainEight(name: string, pairing: string, interpolant?: RegExp): Promise<void> {
    await page.goto(`${e.server.url}#/new`);
    await page.getByRole('heading', { name: 'New experiment' }).waitFor();
    await page.getByRole('radio', { name: '8 Gaussians' }).check();
    if (interpolant) {
      await page.getByRole('button', { name: '2. Interpolant' }).click();
      await page.getByRole('radio', { name: interpolant }).check();
    }
    await page.getByRole('button', { name: '3. Velocity net' }).click();
    await page.getByLabel('Width (units per layer)', { exact: true }).fill('32');
    await page.getByLabel('Depth (hidden layers)', { exact: true }).fill('2');
    await page.getByRole('button', { name: '4. Training' }).click();
    await page.getByLabel('Pairing of base and data points').selectOption({ label: pairing });
    await page.getByLabel('Steps', { exact: true }).fill('600');
    await page.getByLabel('Batch size', { exact: true }).fill('256');
    await page.getByLabel('Warmup steps', { exact: true }).fill('10');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Run name').fill(name);
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('heading', { name }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByTestId('run-status').filter({ hasText: 'completed' }).waitFor({ timeout: TRAIN_WAIT_MS });
  }

  const config = async () => (await page.locator('pre').filter({ hasText: '"coupling"' }).textContent()) ?? '';

  test('an 8 Gaussians run shows its field error beside the loss, and the loss at uniform t', async () => {
    await trainEight('eight', 'Independent (as drawn)');
    await page.getByRole('heading', { name: /^Field error/ }).waitFor({ timeout: TRAIN_WAIT_MS });
    assert.match(await config(), /"coupling": "independent"/);
    await page.getByText(/loss at uniform t/).waitFor({ timeout: TRAIN_WAIT_MS });
    await e.shot('paper-01-field-error');
  });

  test('the export panel draws with the SDE sampler at the eps given, and refuses an eps below 0 at its field', async () => {
    const panel = page.getByRole('region', { name: 'Draw and export samples' });
    await panel.waitFor({ timeout: TRAIN_WAIT_MS });
    await panel.getByLabel('Number of samples').fill('500');
    await panel.getByLabel('Solver', { exact: true }).selectOption('em');
    await panel.getByLabel('Diffusion eps').fill('-1');
    await panel.getByRole('button', { name: 'Draw samples' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Diffusion eps must be a number from 0 to 10' }).waitFor();
    await panel.getByLabel('Diffusion eps').fill('0.5');
    await panel.getByRole('button', { name: 'Draw samples' }).click();
    await panel.getByTestId('drawn-summary').filter({ hasText: '500 points of 2 dimensions generated with em, 50 steps, eps 0.5' }).waitFor({ timeout: TRAIN_WAIT_MS });
    assert.deepEqual(e.pageErrors, []);
    await e.shot('paper-02-sde-export');
  });

  test('the metrics panel measures the NLL at a time T and shows it with its name and unit', async () => {
    await page.getByLabel('Likelihood at t = T', { exact: true }).fill('0.5');
    await page.getByRole('button', { name: 'NLL at time T' }).click();
    const at = page.getByTestId('metric-at');
    await at.waitFor({ timeout: TRAIN_WAIT_MS });
    assert.match((await at.textContent()) ?? '', /Time T of the points.*0\.5/);
    assert.match((await page.getByTestId('metric-nll').textContent()) ?? '', /Negative log-likelihood\s*[\d.]+.*nats/);
    await page.getByTestId('metric-at').scrollIntoViewIfNeeded();
    await e.shot('paper-03-nll-at-time');
  });

  test('the metrics panel measures the steps a sampler needs: KL gaps of euler and rk4 samplers by step count, in a table', async () => {
    await page.getByRole('button', { name: 'Steps a sampler needs' }).click();
    const table = page.getByTestId('sampler-steps');
    await table.waitFor({ timeout: TRAIN_WAIT_MS });
    assert.deepEqual(await table.locator('thead th').allTextContents(), ['sampler, figure', '2 steps', '4 steps', '8 steps', '16 steps', '32 steps']);
    const euler = page.getByTestId('steps-stepsEulerKl');
    assert.match((await euler.locator('th').textContent()) ?? '', /KL gap of the euler sampler by steps \(nats\)/);
    const cells = await euler.locator('td').allTextContents();
    assert.equal(cells.length, 5);
    for (const c of cells) assert.match(c, /^(-?\d+\.\d+|hole)$/);
    assert.match((await page.getByTestId('steps-nfe').textContent()) ?? '', /^\d+$/);
    // the figures table still shows the full evaluation, not the steps measurement
    await page.getByTestId('metric-at').waitFor();
    await table.scrollIntoViewIfNeeded();
    await e.shot('paper-03b-sampler-steps');
  });

  test('the Training step\'s pairing reaches the run: an OT-paired run records it (and has no exact field to measure against)', async () => {
    await trainEight('ot eight', 'Minibatch optimal transport');
    assert.match(await config(), /"coupling": "ot"/);
    assert.equal(await page.getByRole('heading', { name: /^Field error/ }).count(), 0);
  });

  test('Compare sets the runs\' full figures and their sampler steps side by side, never an NLL at a time T in place of the NLL', async () => {
    // the OT run (on screen) gets its full figures; the first run's latest evaluation becomes an NLL at T = 0.25
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByTestId('metric-nll').waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('link', { name: 'eight', exact: true }).click();
    await page.getByLabel('Likelihood at t = T', { exact: true }).fill('0.25');
    await page.getByRole('button', { name: 'NLL at time T' }).click();
    await page.getByTestId('metric-at').filter({ hasText: '0.25' }).waitFor({ timeout: TRAIN_WAIT_MS });

    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByLabel('Select eight for comparison').check();
    await page.getByLabel('Select ot eight for comparison').check();
    await page.getByRole('button', { name: 'Compare selected (2)' }).click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    const heads = (await page.locator('#cmp-metrics + table thead th').allTextContents()).slice(1);
    const column = (name: string) => heads.findIndex((h) => h.startsWith(name));
    const row = async (key: string) => page.getByTestId(`compare-metric-${key}`).locator('td').allTextContents();
    await page.getByTestId('compare-metric-nll').waitFor();
    const nll = await row('nll');
    assert.equal(nll[column('eight')], '—', 'the first run has no full evaluation: its NLL at T is another quantity');
    assert.match(nll[column('ot eight')], /^\d+\.\d+ ± /);
    const nfe = await row('stepsNfeConverged');
    assert.match(nfe[column('eight')], /^\d+$/);
    assert.equal(nfe[column('ot eight')], '—');
    await e.shot('paper-03c-compare-steps');
  });

  test('a learned-interpolant run shows the a(t), b(t) it fitted', async () => {
    await trainEight('learned eight', 'Independent (as drawn)', /^Learned/);
    await page.getByRole('heading', { name: /^Learned interpolant/ }).waitFor({ timeout: TRAIN_WAIT_MS });
    await page.getByRole('img', { name: 'Coefficients a(t), b(t) and gamma(t) of the learned interpolant' }).waitFor();
    assert.match(await config(), /"interpolant": "learned"/);
    assert.deepEqual(e.pageErrors, []);
    await page.getByRole('heading', { name: /^Learned interpolant/ }).scrollIntoViewIfNeeded();
    await e.shot('paper-04-learned-interpolant');
  });
});
