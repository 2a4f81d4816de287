/**
 * Starts an engine process with child_process.fork (server mode and tests). From the sources it
 * runs the TypeScript entry through tsx; from the compiled build, the JavaScript one.
 */
import { fork } from 'node:child_process';
import { nodeEntry } from '../engine/nodeEntry.js';
import type { EngineProcess } from '../service/jobs.js';
import { DATA_DIR_ENV, type FromEngine } from '../api/protocol.js';

export function forkEngine(dataDir: string): EngineProcess {
  const { path, execArgv } = nodeEntry('../worker/main', import.meta.url);
  const child = fork(path, [], {
    execArgv,
    serialization: 'advanced',
    env: { ...process.env, [DATA_DIR_ENV]: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (h) => child.on('message', (m) => h(m as FromEngine)),
    onExit: (h) => child.on('exit', (code) => h(code)),
    kill: () => child.kill('SIGKILL'),
  };
}
