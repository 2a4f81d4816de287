/**
 * The layers DESIGN.md draws, read from every import in the tree (type-only imports included:
 * they couple the layers as much as any). Top-down, an arrow only points down:
 *   doors   electron, server, cli, worker    (no door imports another)
 *   app     service                          (store, queue, handlers, createApp)
 *   core    engine, store                    (the engine knows nothing of processes or the store)
 *   bottom  api (the contract and the config schema), errors, version, paths
 * The renderer reaches src-main only through api/, and what it loads stays pure all the way down.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function files(dir: string, exts: string[]): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(join(ROOT, p)).isDirectory()) return files(p, exts);
    return exts.some((e) => name.endsWith(e)) ? [p] : [];
  });
}

interface Import {
  spec: string;
  /** Erased at build time (`import type`, `export type`). */
  typeOnly: boolean;
}

/** Every module a file names: static imports and re-exports (type-only marked), dynamic imports. */
function importsOf(text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[2], typeOnly: !!m[1] });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[1], typeOnly: false });
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1], typeOnly: false });
  return out;
}

/** The repository path a relative specifier names, as its TypeScript source. */
function target(from: string, spec: string): string {
  return relative(ROOT, join(ROOT, from, '..', spec)).replace(/\.js$/, '.ts');
}

const DOORS = ['electron', 'server', 'cli', 'worker'];
/** The bottom: pure modules every layer may use. */
const BOTTOM_FILES = ['src-main/errors.ts', 'src-main/version.ts', 'src-main/paths.ts'];
/**
 * What the engine may use of api/: the config schema, the spec grammar it checks with, the shared
 * limits, and the learning-rate schedule (part of what a config means; the renderer draws it).
 */
const ENGINE_MAY_USE_OF_API = ['src-main/api/config.ts', 'src-main/api/gaussianSpec.ts', 'src-main/api/limits.ts', 'src-main/api/lrSchedule.ts'];

/** The part of src-main a file belongs to: a folder name, or 'root' for the bottom's files. */
function partOf(file: string): string {
  const m = /^src-main\/([^/]+)\//.exec(file);
  return m ? m[1] : file.startsWith('src-main/') ? 'root' : 'outside';
}

/** Why `from` may not import `spec`; null when the import keeps the layers. */
export function layerProblem(from: string, spec: string): string | null {
  const part = partOf(from);
  if (spec === 'electron' && part !== 'electron') return 'only src-main/electron imports electron';
  if (!spec.startsWith('.')) {
    if (part === 'api' && spec.startsWith('node:')) return 'the contract touches no Node built-in (files, processes)';
    return null;
  }
  const to = target(from, spec);
  const toPart = partOf(to);
  if (toPart === part) return null;
  if (DOORS.includes(part) && DOORS.includes(toPart)) return 'a door imports another door';
  if (part === 'engine' && !(BOTTOM_FILES.includes(to) || ENGINE_MAY_USE_OF_API.includes(to))) {
    return 'the engine imports only the engine and the bottom (errors, version, paths, the config schema)';
  }
  if (part === 'api' && !BOTTOM_FILES.includes(to)) return 'the contract imports nothing above the bottom';
  if (part === 'root' && toPart !== 'root') return 'the bottom imports nothing above it';
  if (part === 'store' && toPart !== 'root' && toPart !== 'api') return 'the store imports only the bottom';
  if (part === 'service' && DOORS.includes(toPart)) return 'the service imports no door';
  return null;
}

function mainProblems(): string[] {
  const problems: string[] = [];
  for (const f of files('src-main', ['.ts'])) {
    for (const { spec } of importsOf(readFileSync(join(ROOT, f), 'utf8'))) {
      const why = layerProblem(f, spec);
      if (why) problems.push(`${f} imports ${spec}: ${why}`);
    }
  }
  return problems;
}

test('every import in src-main keeps the layers', () => {
  assert.deepEqual(mainProblems(), []);
});

test('the layer check catches an import that breaks a rule (negative control)', () => {
  assert.match(layerProblem('src-main/engine/train/trainSession.ts', '../../service/train.js') ?? '', /engine imports only/);
  assert.match(layerProblem('src-main/engine/onnx/runtime.ts', '../../store/index.js') ?? '', /engine imports only/);
  assert.match(layerProblem('src-main/engine/sample/solveOde.ts', '../../api/protocol.js') ?? '', /engine imports only/);
  assert.match(layerProblem('src-main/cli/main.ts', '../server/serveCommand.js') ?? '', /door imports another door/);
  assert.match(layerProblem('src-main/electron/main.ts', '../worker/batcher.js') ?? '', /door imports another door/);
  assert.match(layerProblem('src-main/api/handlers.ts', 'node:fs') ?? '', /no Node built-in/);
  assert.match(layerProblem('src-main/api/contract.ts', '../service/jobs.js') ?? '', /contract imports nothing above/);
  assert.match(layerProblem('src-main/api/schemas.ts', '../engine/config.js') ?? '', /contract imports nothing above/);
  assert.match(layerProblem('src-main/service/handlers.ts', '../server/appRoot.js') ?? '', /service imports no door/);
  assert.match(layerProblem('src-main/server/staticFiles.ts', 'electron') ?? '', /only src-main\/electron/);
  assert.equal(layerProblem('src-main/engine/train/schedule.ts', '../../api/config.js'), null);
  assert.equal(layerProblem('src-main/worker/runJob.ts', '../service/jobOperations.js'), null);
});

test('no import cycle between the folders of src-main', () => {
  const edges = new Map<string, Set<string>>();
  for (const f of files('src-main', ['.ts'])) {
    for (const { spec } of importsOf(readFileSync(join(ROOT, f), 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const [a, b] = [partOf(f), partOf(target(f, spec))];
      if (a !== b) (edges.get(a) ?? edges.set(a, new Set()).get(a)!).add(b);
    }
  }
  const cycles: string[] = [];
  const visit = (node: string, path: string[]): void => {
    if (path.includes(node)) {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
      return;
    }
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
  };
  for (const node of edges.keys()) visit(node, []);
  assert.deepEqual(cycles, []);
  assert.ok((edges.get('service')?.size ?? 0) > 1, 'the walk saw the folders');
});

/** What the renderer may name in src-main: the contract, the config schema and the wire codec. */
function rendererProblem(from: string, spec: string): string | null {
  if (spec.startsWith('node:')) return 'the renderer uses no Node built-in';
  if (!spec.startsWith('.')) return null;
  const to = target(from, spec);
  if (to.startsWith('src-main/') && !to.startsWith('src-main/api/')) return 'the renderer imports only the contract (src-main/api)';
  return null;
}

test('the renderer imports only the contract and the config schema, and no Node built-ins', () => {
  const problems: string[] = [];
  for (const f of files('src-renderer', ['.ts', '.svelte'])) {
    for (const { spec } of importsOf(readFileSync(join(ROOT, f), 'utf8'))) {
      const why = rendererProblem(f, spec);
      if (why) problems.push(`${f} imports ${spec}: ${why}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.match(rendererProblem('src-renderer/pages/Run.svelte', '../../src-main/engine/data/toys.js') ?? '', /only the contract/);
});

test('what the renderer loads from src-main stays pure all the way down: zod and the bottom only', () => {
  const seen = new Set<string>();
  const problems: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { spec, typeOnly } of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
      if (typeOnly) continue;
      if (!spec.startsWith('.')) {
        if (spec !== 'zod') problems.push(`${file} imports ${spec}`);
        continue;
      }
      const to = target(file, spec);
      if (!to.startsWith('src-main/api/') && !BOTTOM_FILES.includes(to)) problems.push(`${file} imports ${to}`);
      visit(to);
    }
  };
  for (const f of files('src-renderer', ['.ts', '.svelte'])) {
    for (const { spec, typeOnly } of importsOf(readFileSync(join(ROOT, f), 'utf8'))) {
      if (!typeOnly && spec.startsWith('.') && target(f, spec).startsWith('src-main/')) visit(target(f, spec));
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(seen.has('src-main/api/config.ts'), 'the walk reached the config schema');
});
