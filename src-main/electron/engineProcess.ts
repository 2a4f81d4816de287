/**
 * Starts an engine process as an Electron utilityProcess (a Node child that Electron manages,
 * with no window and no Electron APIs), talking over its parent port with structured clone.
 */
import { utilityProcess } from 'electron';
import { fileURLToPath } from 'node:url';
import type { EngineProcess } from '../service/jobs.js';
import { DATA_DIR_ENV, type FromEngine } from '../api/protocol.js';

export function startUtilityEngine(dataDir: string): EngineProcess {
  const entry = fileURLToPath(new URL('../worker/main.js', import.meta.url));
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'FlowLab engine',
    env: { ...process.env, [DATA_DIR_ENV]: dataDir },
    stdio: 'inherit',
  });
  let alive = true;
  child.on('exit', () => (alive = false));
  return {
    send: (m) => {
      if (alive) child.postMessage(m);
    },
    onMessage: (h) => child.on('message', (m: unknown) => h(m as FromEngine)),
    onExit: (h) => child.on('exit', (code) => h(code)),
    kill: () => void child.kill(),
  };
}
