/**
 * End-to-end harness: the real server (`flowlab serve` in-process, real store in a temp folder,
 * real engine processes) and the system's Chromium driven by playwright-core. Never downloads a
 * browser. Screenshots go to test-artifacts/e2e/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src-main/server/startServer.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const RENDERER = join(ROOT, 'dist-renderer');

/** The system Chromium (Debian package); override with FLOWLAB_CHROMIUM. */
export const CHROMIUM = process.env.FLOWLAB_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Builds the renderer with Vite unless dist-renderer/ is newer than every source file. */
export async function ensureRendererBuilt(): Promise<void> {
  const index = join(RENDERER, 'index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'src-renderer')), newestMtime(join(ROOT, 'src-main', 'api')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

export interface E2E {
  server: RunningServer;
  browser: Browser;
  page: Page;
  dataDir: string;
  /** Console errors and CSP violations seen by the page. */
  pageErrors: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** `dataDir`: a data folder the test filled beforehand (removed at close like a fresh one). */
export async function startE2E(o: { dataDir?: string } = {}): Promise<E2E> {
  await ensureRendererBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'flowlab-e2e-'));
  const server = await startServer({ port: 0, dataDir, log: () => undefined });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(`${e.message}\n${e.stack ?? ''}`));
  return {
    server, browser, page, dataDir, pageErrors,
    async shot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
