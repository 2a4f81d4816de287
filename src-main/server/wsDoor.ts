/**
 * The WebSocket door: one endpoint, `/api?token=...`, reachable only with this launch's token
 * and only from this server's own pages (Origin checked). Each frame is a call
 * `{ id, method, args }` answered by `{ id, ok, result | error }`; events go to every client
 * as `{ event }`. Every call and event is validated against the contract.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent } from '../api/events.js';
import type { Dispatch } from '../api/dispatch.js';
import { validateEvent } from '../api/validate.js';
import { decodeMessage, encodeMessage } from '../api/wire.js';
import { MAX_IMPORT_BYTES } from '../api/schemas.js';

export const API_PATH = '/api';

/** Largest frame accepted: an import at the size limit, as base64 (4/3), plus JSON framing. */
const MAX_FRAME_BYTES = Math.ceil(MAX_IMPORT_BYTES * 4 / 3) + 1024 * 1024;

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WsDoor {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  broadcast(event: ApiEvent): void;
  close(): void;
}

export function createWsDoor(opts: { token: string; allowedOrigins: () => string[]; dispatch: Dispatch }): WsDoor {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const clients = new Set<WebSocket>();

  function reject(socket: Duplex, status: string): void {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  function send(ws: WebSocket, frame: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(frame));
  }

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', async (data, isBinary) => {
      let frame: unknown;
      try {
        if (isBinary) throw new Error('binary frames are not part of the API');
        frame = decodeMessage(data.toString());
      } catch (err) {
        send(ws, { id: -1, ok: false, error: { kind: 'invalid', message: `unreadable frame: ${(err as Error).message}` } });
        return;
      }
      const f = frame as { id?: unknown; method?: unknown; args?: unknown };
      if (typeof f !== 'object' || f === null || typeof f.id !== 'number') {
        send(ws, { id: -1, ok: false, error: { kind: 'invalid', message: 'a call frame needs a numeric id, a method and args' } });
        return;
      }
      const outcome = await opts.dispatch(f.method, f.args);
      send(ws, { id: f.id, ...outcome });
    });
  });

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== API_PATH) return reject(socket, '404 Not Found');
      if (!tokensEqual(url.searchParams.get('token') ?? '', opts.token)) return reject(socket, '401 Unauthorized');
      const origin = req.headers.origin;
      if (origin !== undefined && !opts.allowedOrigins().includes(origin)) return reject(socket, '403 Forbidden');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    broadcast(event) {
      const text = encodeMessage({ event: validateEvent(event) });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    close() {
      for (const ws of clients) ws.terminate();
      wss.close();
    },
  };
}
