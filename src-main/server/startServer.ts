/**
 * Headless mode: the renderer and the API served on the loopback interface only, for a browser
 * on the same machine. The URL printed at start carries a per-launch random token; without it
 * the API refuses the connection.
 */
import type { JobInfo } from '../api/schemas.js';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { ApiEvent } from '../api/events.js';
import { createApp } from '../service/createApp.js';
import { rendererDir } from '../service/appRoot.js';
import { forkEngine } from './forkEngine.js';
import { securityHeaders, serveStatic } from './staticFiles.js';
import { answerTokenCheck, createWsDoor } from './wsDoor.js';

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
  /** Trainings running, paused or waiting now: what closing would interrupt. */
  trainings(): JobInfo[];
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const token = randomBytes(TOKEN_BYTES).toString('hex');
  let port = options.port;

  // Assigned once the door exists; events only flow after a job is submitted.
  let broadcast: (e: ApiEvent) => void = () => undefined;
  const app = createApp({ dataDir, door: 'server', startEngine: () => forkEngine(dataDir), onEvent: (e) => broadcast(e), log });
  const dispatch = app.dispatch;
  const origins = () => [`http://${LOOPBACK}:${port}`, `http://localhost:${port}`];
  const door = createWsDoor({ token, allowedOrigins: origins, dispatch, log });
  broadcast = (e) => {
    try {
      door.broadcast(e);
    } catch (err) {
      log((err as Error).message);
    }
  };

  const root = resolve(options.staticDir ?? rendererDir());
  const server = createServer((req, res) => {
    const headers = securityHeaders(`ws://${LOOPBACK}:${port} ws://localhost:${port}`);
    if (answerTokenCheck(token, headers, req, res)) return;
    serveStatic(root, headers, req, res);
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
    trainings: () => app.queue.list().filter((j) => j.kind === 'train'),
    close() {
      closing ??= (async () => {
        await app.queue.close();
        door.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        app.store.close();
      })();
      return closing;
    },
  };
}
