/**
 * The packaged app's Electron fuses: every hardening fuse set, RunAsNode the only one left open
 * (the backend probes run the app binary as Node). Reads electron-builder.yml and checks each
 * name against the installed electron-builder's schema, so a misspelt fuse fails here instead of
 * being ignored at packaging time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The `electronFuses:` block of the YAML: `  key: true|false` lines up to the next top-level key. */
function fusesBlock(yaml: string): Record<string, boolean> {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => l.startsWith('electronFuses:'));
  assert.ok(start >= 0, 'electron-builder.yml has an electronFuses block');
  const fuses: Record<string, boolean> = {};
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const m = /^\s+(\w+):\s*(true|false)\s*$/.exec(line);
    if (m) fuses[m[1]] = m[2] === 'true';
  }
  return fuses;
}

const EXPECTED: Record<string, boolean> = {
  runAsNode: true,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

describe('Electron fuses of the packaged app', () => {
  const fuses = fusesBlock(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));

  for (const [name, value] of Object.entries(EXPECTED)) {
    test(`${name} is ${value}`, () => assert.equal(fuses[name], value));
  }

  test('every fuse named is one the installed electron-builder knows', () => {
    const require = createRequire(import.meta.url);
    const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    for (const name of Object.keys(fuses)) assert.ok(known.includes(name), `${name} is not a fuse electron-builder knows`);
    assert.deepEqual(Object.keys(fuses).sort(), Object.keys(EXPECTED).sort());
  });
});
