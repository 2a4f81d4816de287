/**
 * Headless mode: the renderer and the API served on the loopback interface only, for a browser
 * on the same machine. The URL printed at start carries a per-launch random token; without it
 * the API refuses the connection.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { openStore } from '../store/index.js';
import { createHandlers } from '../api/handlers.js';
import { createDispatch } from '../api/dispatch.js';
import { JobQueue } from '../service/jobs.js';
import { forkEngine } from './forkEngine.js';
import { rendererDir } from './appRoot.js';
import { securityHeaders, serveStatic } from './staticFiles.js';
import { createWsDoor } from './wsDoor.js';

/** The only interface the server listens on: nothing off this machine can reach it. */
export const LOOPBACK = '127.0.0.1';
/** Token length in bytes (256 bits, as hex): unguessable for the life of one launch. */
const TOKEN_BYTES = 32;

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** The built renderer; defaults to <app>/dist-renderer. */
  staticDir?: string;
  /** Where internal errors are reported (defaults to stderr). */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const store = openStore(dataDir);
  store.watchOrphans(); // runs left by an engine or CLI that died become interrupted while the app runs
  const token = randomBytes(TOKEN_BYTES).toString('hex');
  let port = options.port;

  // Assigned once the queue exists; events only flow after a job is submitted.
  let broadcast: (e: Parameters<ReturnType<typeof createWsDoor>['broadcast']>[0]) => void = () => undefined;
  const queue = new JobQueue({
    startEngine: () => forkEngine(dataDir),
    onEvent: (e) => broadcast(e),
    onRunLost: (runId, reason) => {
      try {
        const run = store.findRun(runId);
        if (run && (run.status === 'running' || run.status === 'paused')) store.finishRun(runId, 'interrupted', reason);
      } catch (err) {
        log(`could not mark run ${runId} interrupted: ${(err as Error).message}`);
      }
    },
  });
  const handlers = createHandlers({ store, queue, dataDir, door: 'server' });
  const dispatch = createDispatch(handlers, (method, err) => log(`error in ${String(method)}: ${(err as Error).stack ?? err}`));
  const origins = () => [`http://${LOOPBACK}:${port}`, `http://localhost:${port}`];
  const door = createWsDoor({ token, allowedOrigins: origins, dispatch });
  broadcast = (e) => {
    try {
      door.broadcast(e);
    } catch (err) {
      log((err as Error).message);
    }
  };

  const root = resolve(options.staticDir ?? rendererDir());
  const server = createServer((req, res) => {
    serveStatic(root, securityHeaders(`ws://${LOOPBACK}:${port} ws://localhost:${port}`), req, res);
  });
  server.on('upgrade', (req, socket, head) => door.handleUpgrade(req, socket, head));

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port, LOOPBACK, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    token,
    port,
    close() {
      closing ??= (async () => {
        await queue.close();
        door.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        store.close();
      })();
      return closing;
    },
  };
}
