#!/usr/bin/env node
// The flowlab command: runs the compiled CLI (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src-main/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('error: FlowLab is not built; run `npm run build` (or `npm install`) in the project folder\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
