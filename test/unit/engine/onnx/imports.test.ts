import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../src-main/engine/', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports that exist at run time (`import type` is erased and cannot form a cycle). */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)) {
    out.push(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
  }
  return out;
}

/** A cycle in the import graph of `files`, as a list of paths, or null. */
function findCycle(files: string[], importsOf = runtimeImports): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | null => {
    if (state.get(f) === 'done') return null;
    if (state.get(f) === 'open') return [...stack.slice(stack.indexOf(f)), f];
    state.set(f, 'open');
    stack.push(f);
    for (const g of importsOf(f)) {
      const c = files.includes(g) ? visit(g) : null;
      if (c) return c;
    }
    stack.pop();
    state.set(f, 'done');
    return null;
  };
  for (const f of files) {
    const c = visit(f);
    if (c) return c.map((p) => relative(root, p));
  }
  return null;
}

test('the graph builder, its op files and the nets import one another without a cycle', () => {
  const files = [...tsFiles(join(root, 'onnx')), ...tsFiles(join(root, 'nets'))];
  assert.ok(files.some((f) => f.endsWith('ops/operands.ts')));
  assert.equal(findCycle(files), null);
});

test('the cycle finder sees a cycle (ops/shape.ts importing ops/elementwise.ts would close one)', () => {
  const files = tsFiles(join(root, 'onnx'));
  const [elementwise, shape] = ['onnx/ops/elementwise.ts', 'onnx/ops/shape.ts'].map((p) => join(root, p));
  assert.ok(runtimeImports(elementwise).includes(shape), 'elementwise.ts is expected to import shape.ts');
  const withBackEdge = (f: string) => (f === shape ? [...runtimeImports(f), elementwise] : runtimeImports(f));
  const cycle = findCycle(files, withBackEdge);
  assert.ok(cycle?.includes('onnx/ops/shape.ts') && cycle.includes('onnx/ops/elementwise.ts'), `found ${cycle}`);
});
