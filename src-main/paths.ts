/**
 * The per-user data folder, the same one the desktop app uses: `data` inside Electron's userData
 * for the product name FlowLab, i.e. Linux $XDG_CONFIG_HOME/FlowLab/data (~/.config/FlowLab/data),
 * macOS ~/Library/Application Support/FlowLab/data, Windows %APPDATA%\FlowLab\data.
 * FLOWLAB_DATA_DIR overrides.
 */
import os from 'node:os';
import { join } from 'node:path';

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
