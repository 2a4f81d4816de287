/**
 * The wizard remembers the last experiment started, so the next one begins from it. Stored as
 * JSON in the browser's localStorage; anything unreadable or from an older shape is ignored.
 * The run's name is not remembered: a name belongs to one run, and the next run gets its own.
 */
import { defaultConfig, type ExperimentConfig } from '../../../src-main/api/config.js';

export const LAST_CONFIG_KEY = 'flowlab.wizard.lastConfig';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Deep-merges a remembered config over the defaults, keeping only fields the defaults have. */
export function mergeKnown<T>(base: T, saved: unknown): T {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) {
    return typeof saved === typeof base ? (saved as T) : base;
  }
  if (typeof saved !== 'object' || saved === null) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const key of Object.keys(out)) {
    if (key in (saved as object)) out[key] = mergeKnown(out[key], (saved as Record<string, unknown>)[key]);
  }
  return out as T;
}

export function loadLastConfig(storage: KeyValueStore | null): ExperimentConfig {
  const fallback = defaultConfig('checkerboard', 0);
  if (!storage) return fallback;
  try {
    const text = storage.getItem(LAST_CONFIG_KEY);
    // The defaults have no name, so mergeKnown drops a remembered one (stored by older versions).
    return text ? mergeKnown(fallback, JSON.parse(text)) : fallback;
  } catch {
    return fallback;
  }
}

export function saveLastConfig(storage: KeyValueStore | null, config: ExperimentConfig): void {
  try {
    storage?.setItem(LAST_CONFIG_KEY, JSON.stringify({ ...config, name: undefined }));
  } catch {
    // Storage full or disabled: remembering is a convenience, never an error.
  }
}
