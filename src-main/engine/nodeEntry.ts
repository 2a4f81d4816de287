/**
 * How to start one of FlowLab's own modules as a Node child process: from the sources (tests,
 * `tsx`) the TypeScript file through the tsx loader, from the compiled build the JavaScript one.
 * Under Electron `process.execPath` is the Electron binary, which runs as plain Node with
 * ELECTRON_RUN_AS_NODE set (`nodeEnv`; the packaged app keeps the RunAsNode fuse on for it).
 */
import { fileURLToPath } from 'node:url';

/** `base` is the module's URL without its extension, relative to the caller's `import.meta.url`. */
export function nodeEntry(base: string, callerUrl: string): { path: string; execArgv: string[] } {
  const fromSources = callerUrl.endsWith('.ts');
  const entry = new URL(`${base}.${fromSources ? 'ts' : 'js'}`, callerUrl);
  const execArgv = fromSources ? ['--import', import.meta.resolve('tsx')] : [];
  return { path: fileURLToPath(entry), execArgv };
}

/** The environment for a child started with `process.execPath`. */
export function nodeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}), ...extra };
}
