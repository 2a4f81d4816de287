/**
 * The per-user data folder, the same one the desktop app uses (Electron's userData for the
 * product name FlowLab): Linux $XDG_CONFIG_HOME/FlowLab (~/.config/FlowLab), macOS
 * ~/Library/Application Support/FlowLab, Windows %APPDATA%\FlowLab. FLOWLAB_DATA_DIR overrides.
 */
import os from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'FlowLab';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOWLAB_DATA_DIR) return env.FLOWLAB_DATA_DIR;
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
