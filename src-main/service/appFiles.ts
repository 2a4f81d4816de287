/**
 * The renderer's files as both app doors serve them (Electron's app:// scheme, the server's
 * HTTP): which file a URL path names, never one outside the folder, and the Content-Security-
 * Policy they are served with (scripts and styles only from the app's origin, no frames, no
 * plugins, no form posts).
 */
import { join, normalize, sep } from 'node:path';

/** connectSrc: where pages may open connections ("'self' ws://..." in server mode, "'none'" in Electron). */
export function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The file under `root` a URL path names, or null if it would leave `root`. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const full = join(root, rel);
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  return full;
}
