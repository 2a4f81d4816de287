/**
 * A file over the import limit is refused in the wizard before any byte is uploaded (in server
 * mode it once went out as one WebSocket frame over the door's limit). The file is sparse: its
 * size is real, its blocks are not, so the test costs no disk.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_IMPORT_BYTES } from '../../src-main/api/limits.js';
import { startE2E, type E2E } from './harness.js';

describe('the import size limit in the wizard', () => {
  let e: E2E;

  before(async () => {
    e = await startE2E();
  });

  after(async () => {
    await e?.close();
  });

  test('a file over the limit gets a message at the import field and nothing is sent', async () => {
    const path = join(e.dataDir, 'huge.csv');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, MAX_IMPORT_BYTES + 1);
    closeSync(fd);
    let sentBytes = 0;
    e.page.on('websocket', (ws) => ws.on('framesent', (f) => (sentBytes += typeof f.payload === 'string' ? f.payload.length : f.payload.byteLength)));
    await e.page.goto(`${e.server.url}#/new`);
    await e.page.getByLabel('Import a CSV or NPY file').setInputFiles(path);
    const message = e.page.getByText(/huge\.csv is .* MB, more than the .* MB FlowLab imports/);
    await message.waitFor({ timeout: 15_000 });
    assert.ok(sentBytes < 1_000_000, `${sentBytes} bytes went over the WebSocket`);
    const check = await fetch(`${new URL(e.server.url).origin}/api/token-check?token=${e.server.token}`);
    assert.equal(check.status, 204, 'the server still answers');
    await e.shot('import-too-large');
  });
});
