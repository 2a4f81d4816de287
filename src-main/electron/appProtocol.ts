/**
 * The app:// protocol: serves the built renderer from dist-renderer/ (inside the asar in a
 * packaged app) with the same strict Content-Security-Policy as server mode, minus any network:
 * the desktop pages reach the API over IPC only.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { extname } from 'node:path';
import { contentSecurityPolicy, resolveStatic } from '../service/appFiles.js';
import { APP_HOST, APP_SCHEME } from './ipcChannels.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json',
};

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveAppProtocol(rendererDir: string): void {
  const csp = contentSecurityPolicy("'none'");
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveStatic(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    if (!res.ok) return new Response('Not found', { status: 404 });
    return new Response(res.body, {
      status: 200,
      headers: {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
