import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentSecurityPolicy, resolveStatic } from '../../../src-main/service/appFiles.js';
import { startServer } from '../../../src-main/server/startServer.js';
import { parseServeArgs, serveCommand } from '../../../src-main/server/serveCommand.js';

describe('serving the renderer', () => {
  test('paths cannot leave the renderer folder', () => {
    assert.equal(resolveStatic('/app/dist', '/'), '/app/dist/index.html');
    assert.equal(resolveStatic('/app/dist', '/assets/a.js'), '/app/dist/assets/a.js');
    assert.equal(resolveStatic('/app/dist', '/../secret'), '/app/dist/secret');
    assert.equal(resolveStatic('/app/dist', '/%2e%2e/%2e%2e/etc/passwd'), '/app/dist/etc/passwd');
    assert.equal(resolveStatic('/app/dist', '/a%00b'), null);
    assert.equal(resolveStatic('/app/dist', '/%E0%A4%A'), null);
  });

  test('the CSP allows only this origin\'s scripts and styles, no inline code, no frames', () => {
    const csp = contentSecurityPolicy("'self' ws://127.0.0.1:1");
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:1/);
  });

  test('files are served with the security headers; unknown paths are 404', async () => {
    const root = mkdtempSync(join(tmpdir(), 'flowlab-static-'));
    mkdirSync(join(root, 'site'));
    writeFileSync(join(root, 'site', 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(root, 'secret.txt'), 'no');
    const server = await startServer({ port: 0, dataDir: join(root, 'data'), staticDir: join(root, 'site'), log: () => undefined });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const index = await fetch(`${base}/`);
      assert.equal(index.status, 200);
      assert.match(index.headers.get('content-type')!, /text\/html/);
      assert.match(index.headers.get('content-security-policy')!, /default-src 'none'/);
      assert.equal(index.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
      assert.equal((await fetch(`${base}/missing.js`)).status, 404);
      assert.equal((await fetch(`${base}/..%2fsecret.txt`)).status, 404);
      assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('flowlab serve options', () => {
  test('port and data folder are read in both spellings', () => {
    assert.deepEqual(parseServeArgs(['--port', '9000', '--data-dir', '/d']), { port: 9000, dataDir: '/d' });
    assert.deepEqual(parseServeArgs(['--port=0', '--data-dir=/e']), { port: 0, dataDir: '/e' });
  });

  test('--help prints the options and serves nothing', async () => {
    assert.equal(parseServeArgs(['-h']).help, true);
    const printed: string[] = [];
    assert.equal(await serveCommand(['--help'], (l) => printed.push(l)), null);
    assert.match(printed.join('\n'), /--port P[\s\S]*--data-dir DIR/);
  });

  test('bad options are one-line user errors', () => {
    assert.throws(() => parseServeArgs(['--port', 'http']), /--port must be a whole number/);
    assert.throws(() => parseServeArgs(['--port']), /--port needs a value/);
    assert.throws(() => parseServeArgs(['--host', 'x']), /unknown option '--host'/);
  });
});
