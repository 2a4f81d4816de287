/**
 * Where FlowLab's own files live (package.json, dist-renderer/, models/), found from this
 * module's location so it works from the sources (tsx) and from the compiled dist/ alike.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function appRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find FlowLab's folder above ${from}`);
    dir = parent;
  }
}

/** The built renderer (vite build output). */
export function rendererDir(): string {
  return join(appRoot(), 'dist-renderer');
}
