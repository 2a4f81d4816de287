/**
 * The layers the folder names promise: only src-main/electron knows Electron, and the renderer
 * reaches the main side only through the API's types and a few pure modules (never the store,
 * the engine's ONNX code or Node built-ins).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function files(dir: string, exts: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p, exts);
    return exts.some((e) => name.endsWith(e)) ? [p] : [];
  });
}

/** Module specifiers a file imports at run time (type-only imports are erased and left out). */
function runtimeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) if (!m[1]) out.push(m[2]);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

test('only src-main/electron imports electron', () => {
  const offenders = files(join(ROOT, 'src-main'), ['.ts'])
    .filter((f) => !relative(ROOT, f).startsWith(join('src-main', 'electron')))
    .filter((f) => runtimeImports(readFileSync(f, 'utf8')).includes('electron'));
  assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
});

/** What the renderer may load from src-main at run time: pure code with no Node dependency. */
const RENDERER_MAY_IMPORT = ['src-main/api/wire.ts', 'src-main/engine/config.ts', 'src-main/engine/data/gaussianSpec.ts', 'src-main/errors.ts'];

test('the renderer loads only pure modules from the main side, and no Node built-ins', () => {
  const problems: string[] = [];
  for (const f of files(join(ROOT, 'src-renderer'), ['.ts', '.svelte'])) {
    for (const spec of runtimeImports(readFileSync(f, 'utf8'))) {
      if (spec.startsWith('node:')) problems.push(`${relative(ROOT, f)} imports ${spec}`);
      if (!spec.startsWith('.')) continue;
      const target = relative(ROOT, join(f, '..', spec)).replace(/\.js$/, '.ts');
      if (target.startsWith('src-main') && !RENDERER_MAY_IMPORT.includes(target)) problems.push(`${relative(ROOT, f)} imports ${target}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('what the renderer may import stays pure all the way down: no Node built-in, package, ONNX or store module', () => {
  const seen = new Set<string>();
  const problems: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(readFileSync(join(ROOT, file), 'utf8'))) {
      if (!spec.startsWith('.')) {
        problems.push(`${file} imports ${spec}`);
        continue;
      }
      const target = relative(ROOT, join(ROOT, file, '..', spec)).replace(/\.js$/, '.ts');
      if (/^src-main\/(store|engine\/onnx|service|server|electron)\//.test(target)) problems.push(`${file} imports ${target}`);
      visit(target);
    }
  };
  for (const f of RENDERER_MAY_IMPORT) visit(f);
  assert.deepEqual(problems, []);
  assert.ok(seen.size > RENDERER_MAY_IMPORT.length, 'the walk followed the imports');
});
