/**
 * The per-user data folder, the same one the desktop app uses: `data` inside Electron's userData
 * for the product name FlowLab, i.e. Linux $XDG_CONFIG_HOME/FlowLab/data (~/.config/FlowLab/data),
 * macOS ~/Library/Application Support/FlowLab/data, Windows %APPDATA%\FlowLab\data.
 * FLOWLAB_DATA_DIR overrides.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const PRODUCT_NAME = 'FlowLab';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOWLAB_DATA_DIR) return env.FLOWLAB_DATA_DIR;
  return join(userDataDir(env), 'data');
}

/** Electron's app.getPath('userData') for this product, computed without Electron. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', PRODUCT_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
  }
}

/**
 * `mkdir -p` that cannot spin. Node's `mkdirSync(dir, { recursive: true })` retries forever where
 * mkdir answers ENOENT inside a folder that exists (procfs, e.g. /proc/1/x, and some FUSE
 * mounts), so a mistyped --data-dir or --out hung the command at 100% CPU. This creates the
 * missing folders one level at a time, and each failure is thrown with its code.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  if (existsSync(d) && !statSync(d).isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a folder, '${d}'`), { code: 'ENOTDIR' });
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (err) {
      // another process made it in between: fine if it is a folder now
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw err;
    }
  }
}
