import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStore, type RunInit, type Store } from '../../../src-main/store/index.js';

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store on a real SQLite file in a fresh temporary folder, closed when the test file ends. */
export function tempStore(): { store: Store; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-store-'));
  const store = openStore(dir);
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, dir };
}

export function runInit(overrides: Partial<RunInit> = {}): RunInit {
  return {
    name: 'moons linear',
    config: { dataset: 'moons', interpolant: 'linear', net: { hidden: [64, 64] }, steps: 1000 },
    seed: 7,
    dataset: 'moons',
    interpolant: 'linear',
    ...overrides,
  };
}
