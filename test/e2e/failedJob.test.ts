/**
 * A training that fails before its run exists (here: a 3-D file over the 2-D moons as base) shows
 * its reason on the job page, also when the page opens after the failure, and in the runs page's
 * queue area, where it can be dismissed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './harness.js';
import { TestClient, apiUrl } from '../unit/server/wsClient.js';

describe('a training that cannot start, in the browser', () => {
  let e: E2E;
  let page: Page;
  let client: TestClient;
  let jobId = '';
  let reason = '';

  before(async () => {
    e = await startE2E();
    page = e.page;
    client = await TestClient.connect(apiUrl(e.server.port, e.server.token));
  });

  after(async () => {
    client?.close();
    await e?.close();
  });

  test('the job page opened late shows why the training failed', async () => {
    const imported = await client.ok('datasets.import', { fileName: 'cube.csv', bytes: new TextEncoder().encode('a,b,c\n1,2,3\n4,5,6\n7,8,9\n0,1,0\n') });
    ({ jobId } = await client.ok('train.start', { config: { dataset: imported.path, base: 'moons', name: 'cube over moons', train: { seed: 1, steps: 10 } } }));
    reason = ((await client.waitFor((ev) => ev.type === 'jobFailed' && ev.jobId === jobId, 60_000)) as { reason: string }).reason;
    await page.goto(`${e.server.url}#/job/${jobId}`);
    await page.getByRole('heading', { name: 'Training could not start' }).waitFor();
    const alert = page.getByRole('alert').filter({ hasText: reason });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /cube over moons/);
    assert.equal(await page.getByText('This job is no longer in the queue').count(), 0);
    await e.shot('20-job-failed');
  });

  test('the runs page lists it in its queue area until dismissed', async () => {
    await page.goto(`${e.server.url}#/runs`);
    const area = page.getByRole('region', { name: 'Trainings that could not start' });
    await area.getByText(reason, { exact: false }).waitFor();
    await e.shot('21-runs-failed-job');
    await area.getByRole('button', { name: 'Dismiss' }).click();
    await area.waitFor({ state: 'detached' });
    assert.deepEqual(e.pageErrors, []);
  });
});
