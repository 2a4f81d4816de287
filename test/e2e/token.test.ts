/**
 * A page that cannot use the server's token (a bare address, or a tab left open across a restart,
 * whose token the new launch does not know) says so and how to get a working address, instead of
 * "Disconnected; retrying..." forever over an empty table. A page with the token works.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from './harness.js';

describe('the browser token', () => {
  let e: E2E;

  before(async () => {
    e = await startE2E();
  });

  after(async () => {
    await e?.close();
  });

  test('a bare address explains the missing token instead of retrying forever', async () => {
    const origin = new URL(e.server.url).origin;
    await e.page.goto(`${origin}/`);
    const alert = e.page.getByRole('alert').filter({ hasText: 'access token is missing or out of date' });
    await alert.waitFor({ timeout: 15_000 });
    assert.match((await alert.textContent()) ?? '', /flowlab serve/);
    assert.equal(await e.page.getByText('Disconnected; retrying').count(), 0);
    await e.shot('token-missing');
  });

  test('a stale token (from an earlier launch) gets the same explanation', async () => {
    const stale = e.server.url.replace(/token=[0-9a-f]+/, `token=${'0'.repeat(64)}`);
    await e.page.goto(stale);
    await e.page.getByRole('alert').filter({ hasText: 'access token is missing or out of date' }).waitFor({ timeout: 15_000 });
  });

  test('the printed address, token included, opens the app', async () => {
    await e.page.goto(e.server.url);
    await e.page.getByRole('heading', { name: 'Runs' }).waitFor();
    assert.equal(await e.page.getByRole('alert').filter({ hasText: 'access token' }).count(), 0);
  });

  test('the token check answers 204 for the token and 401 for anything else', async () => {
    const origin = new URL(e.server.url).origin;
    const good = await fetch(`${origin}/api/token-check?token=${e.server.token}`);
    assert.equal(good.status, 204);
    for (const q of ['', '?token=', `?token=${'f'.repeat(64)}`, `?token=${e.server.token}x`]) {
      assert.equal((await fetch(`${origin}/api/token-check${q}`)).status, 401, q);
    }
  });
});
