/**
 * The WebSocket door: one endpoint, `/api?token=...`, reachable only with this launch's token
 * and only from this server's own pages (Origin checked). Each frame is a call
 * `{ id, method, args }` answered by `{ id, ok, result | error }`; events go to every client
 * as `{ event }`. Every call and event is validated against the contract.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ApiEvent } from '../api/events.js';
import type { Dispatch } from '../api/dispatch.js';
import { validateEvent } from '../api/validate.js';
import { decodeMessage, encodeMessage, WireError } from '../api/wire.js';
import { MAX_IMPORT_BYTES } from '../api/schemas.js';

export const API_PATH = '/api';
/**
 * GET here with ?token=... answers 204 for this launch's token, 401 for any other. A browser
 * cannot read why a WebSocket upgrade failed, so the page asks here to tell a stale or missing
 * token (a tab from before a restart, a bare URL) from a server that is down.
 */
export const TOKEN_CHECK_PATH = '/api/token-check';

/** Largest frame accepted: an import at the size limit, as base64 (4/3), plus JSON framing. */
const MAX_FRAME_BYTES = Math.ceil(MAX_IMPORT_BYTES * 4 / 3) + 1024 * 1024;

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Answers a token check (see TOKEN_CHECK_PATH); false when the request is for something else. */
export function answerTokenCheck(token: string, headers: Record<string, string>, req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== TOKEN_CHECK_PATH) return false;
  const valid = req.method === 'GET' && tokensEqual(url.searchParams.get('token') ?? '', token);
  res.writeHead(valid ? 204 : 401, { ...headers, 'Cache-Control': 'no-store' });
  res.end();
  return true;
}

export interface WsDoor {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  broadcast(event: ApiEvent): void;
  close(): void;
}

/** Open connections at once: one app tab needs one; a few tabs and tests fit well under it. */
export const MAX_CONNECTIONS = 32;
/** Calls one connection may have unanswered at once; the app never has more than a handful. */
export const MAX_CALLS_IN_FLIGHT = 64;

export function createWsDoor(opts: {
  token: string;
  allowedOrigins: () => string[];
  dispatch: Dispatch;
  /** Where a connection's protocol errors and failed sends are reported (default: nowhere). */
  log?: (line: string) => void;
}): WsDoor {
  const log = opts.log ?? (() => undefined);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const clients = new Set<WebSocket>();
  // The server's own error (never expected with noServer) must not end the process either.
  wss.on('error', (err) => log(`WebSocket server error: ${err.message}`));

  function reject(socket: Duplex, status: string): void {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  /**
   * Sends one reply. A result that cannot be encoded (a JSON string past V8's limit: a million
   * points with 51 snapshots) becomes an error reply for the same call, never an exception.
   */
  function send(ws: WebSocket, frame: { id: number } & Record<string, unknown>): void {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = encodeMessage(frame);
    } catch (err) {
      log(`reply ${frame.id} could not be encoded: ${(err as Error).message}`);
      text = encodeMessage({
        id: frame.id,
        ok: false,
        error: { kind: 'user', message: 'the result is too large to send in one reply; ask for fewer points, snapshots or steps' },
      });
    }
    ws.send(text);
  }

  /** The id of a frame refused unread, so that its call still settles (-1 where it shows none). */
  function idOf(data: RawData): number {
    try {
      const id = (JSON.parse(data.toString()) as { id?: unknown } | null)?.id;
      return typeof id === 'number' && Number.isFinite(id) ? id : -1;
    } catch {
      return -1;
    }
  }

  function invalid(ws: WebSocket, id: number, message: string): void {
    send(ws, { id, ok: false, error: { kind: 'invalid', message } });
  }

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let frame: unknown;
    try {
      if (isBinary) throw new WireError('binary frames are not part of the API', null);
      frame = decodeMessage(data.toString());
    } catch (err) {
      invalid(ws, err instanceof WireError && err.id !== null ? err.id : -1, `unreadable frame: ${(err as Error).message}`);
      return;
    }
    const f = frame as { id?: unknown; method?: unknown; args?: unknown };
    if (typeof f !== 'object' || f === null || typeof f.id !== 'number' || !Number.isFinite(f.id)) {
      invalid(ws, -1, 'a call frame needs a numeric id, a method and args');
      return;
    }
    const outcome = await opts.dispatch(f.method, f.args);
    send(ws, { id: f.id, ...outcome });
  }

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    let inFlight = 0;
    ws.on('close', () => clients.delete(ws));
    // Protocol violations (bad UTF-8, RSV bits, reserved opcodes, unmasked or oversize frames,
    // bad close codes): ws closes the connection with the right code; without this listener the
    // 'error' event would end the whole process, running trainings with it.
    ws.on('error', (err) => log(`closed a WebSocket connection: ${err.message}`));
    ws.on('message', (data, isBinary) => {
      if (inFlight >= MAX_CALLS_IN_FLIGHT) {
        invalid(ws, idOf(data), `too many calls in flight (at most ${MAX_CALLS_IN_FLIGHT}); wait for answers before sending more`);
        return;
      }
      inFlight++;
      answer(ws, data, isBinary)
        .catch((err) => log(`a call could not be answered: ${(err as Error).message}`))
        .finally(() => inFlight--);
    });
  });

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== API_PATH) return reject(socket, '404 Not Found');
      if (!tokensEqual(url.searchParams.get('token') ?? '', opts.token)) return reject(socket, '401 Unauthorized');
      const origin = req.headers.origin;
      if (origin !== undefined && !opts.allowedOrigins().includes(origin)) return reject(socket, '403 Forbidden');
      if (clients.size >= MAX_CONNECTIONS) return reject(socket, '503 Service Unavailable');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    broadcast(event) {
      const text = encodeMessage({ event: validateEvent(event) });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text, (err) => err && log(`an event was not delivered: ${err.message}`));
    },
    close() {
      for (const ws of clients) ws.terminate();
      wss.close();
    },
  };
}
