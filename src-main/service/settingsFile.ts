/**
 * The user's settings (default backend and threads), kept as JSON next to the store in the data
 * folder. A missing or unreadable file means the defaults.
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { settings as settingsSchema, type Settings } from '../api/schemas.js';

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

/** Writes atomically (temp file, then rename), so a crash never leaves half a file. */
export function saveSettings(dataDir: string, value: Settings): Settings {
  const file = join(dataDir, SETTINGS_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
  return value;
}
