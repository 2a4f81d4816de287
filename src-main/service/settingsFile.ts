/**
 * The user's settings (default backend and threads), kept as JSON next to the store in the data
 * folder. A missing or unreadable file means the defaults.
 */
import { readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { settings as settingsSchema, type Settings } from '../api/schemas.js';
import { diskFullError } from './diskErrors.js';

export const SETTINGS_FILE = 'settings.json';

export const DEFAULT_SETTINGS: Settings = { backend: 'auto', threads: 0 };

export function loadSettings(dataDir: string): Settings {
  try {
    const parsed = settingsSchema.partial().safeParse(JSON.parse(readFileSync(join(dataDir, SETTINGS_FILE), 'utf8')));
    return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/**
 * Writes atomically (temp file, then rename), so a crash never leaves half a file; a full disk
 * leaves the previous settings as they were, no empty temp file, and a one-line message.
 */
export function saveSettings(dataDir: string, value: Settings): Settings {
  const file = join(dataDir, SETTINGS_FILE);
  const temp = `${file}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(value, null, 2) + '\n');
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw diskFullError(err, file) ?? err;
  }
  return value;
}
