// Runs every *.test.ts under test/ (or those under the paths given) with Node's test runner.
// Usage: node test/run.mjs [path ...]   e.g. node test/run.mjs test/unit/engine
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const roots = process.argv.slice(2);
const starts = roots.length ? roots : ['test'];

function collect(path, out) {
  const st = statSync(path);
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    collect(join(path, name), out);
  }
  return out;
}

const files = starts.flatMap((s) => collect(join(root, s), [])).map((f) => relative(root, f));
if (files.length === 0) {
  console.error(`no test files found under ${starts.join(', ')}`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=1', ...files];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
process.exit(r.status ?? 1);
