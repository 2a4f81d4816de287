/**
 * The engine process's line to its parent: Electron's utilityProcess port when started by the
 * desktop app, Node's IPC channel when forked by the server or the CLI.
 */
import type { FromEngine, ToEngine } from '../api/protocol.js';

export interface ParentChannel {
  send(message: FromEngine): void;
  onMessage(handler: (message: ToEngine) => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', handler: (e: { data: unknown }) => void): void;
}

export function parentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (port) {
    return {
      send: (m) => port.postMessage(m),
      onMessage: (h) => port.on('message', (e) => h(e.data as ToEngine)),
    };
  }
  if (!process.send) {
    throw new Error('the engine process must be started by FlowLab (no parent channel)');
  }
  return {
    send: (m) => process.send!(m),
    onMessage: (h) => process.on('message', (m) => h(m as ToEngine)),
  };
}
