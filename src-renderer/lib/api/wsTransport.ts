/**
 * The browser's line to `flowlab serve`: one WebSocket to /api with the launch token taken from
 * the page's URL. Calls made while (re)connecting wait for the socket; a dropped connection is
 * retried with growing delays, and calls in flight when it dropped fail with a clear message.
 */
import { decodeMessage, encodeMessage } from '../../../src-main/api/wire.js';
import type { ApiEvent } from '../../../src-main/api/events.js';
import type { CallOutcome, ConnectionState, Transport } from './transport.js';

/** Reconnect delays (ms): quick at first, then every 5 s while the server is away. */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 5000];

/**
 * Whether the server refuses `token` (true), accepts it (false), or cannot be asked (null: it is
 * down). Asked over HTTP because a refused WebSocket upgrade looks the same as a dead server.
 */
export async function tokenRefused(checkUrl: string): Promise<boolean | null> {
  try {
    const res = await fetch(checkUrl, { cache: 'no-store' });
    return res.status === 401;
  } catch {
    return null;
  }
}

export function wsTransport(url: string, checkUrl?: string): Transport {
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let nextId = 1;
  const pending = new Map<number, { frame: string; resolve: (o: CallOutcome) => void; sent: boolean }>();
  const eventListeners = new Set<(e: ApiEvent) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  function setState(s: ConnectionState): void {
    state = s;
    for (const l of stateListeners) l(s);
  }

  function connect(): void {
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
      for (const p of pending.values()) {
        if (!p.sent) {
          ws.send(p.frame);
          p.sent = true;
        }
      }
    };
    ws.onmessage = (msg) => {
      const frame = decodeMessage(String(msg.data)) as { id?: number; event?: ApiEvent } & CallOutcome;
      if (frame.event) {
        for (const l of eventListeners) l(frame.event);
        return;
      }
      const p = pending.get(frame.id as number);
      if (p) {
        pending.delete(frame.id as number);
        p.resolve(frame.ok ? { ok: true, result: frame.result } : { ok: false, error: frame.error });
      }
    };
    ws.onclose = async () => {
      socket = null;
      if (checkUrl && (await tokenRefused(checkUrl))) {
        // Not retried: the token will not become valid. The page says how to get a working URL.
        setState('unauthorized');
        for (const [id, p] of pending) {
          pending.delete(id);
          p.resolve({ ok: false, error: { kind: 'user', message: UNAUTHORIZED_MESSAGE } });
        }
        return;
      }
      setState('closed');
      for (const [id, p] of pending) {
        if (p.sent) {
          pending.delete(id);
          p.resolve({ ok: false, error: { kind: 'internal', message: 'lost the connection to FlowLab; is `flowlab serve` still running?' } });
        }
      }
      const delay = RETRY_DELAYS_MS[Math.min(attempt++, RETRY_DELAYS_MS.length - 1)];
      setTimeout(connect, delay);
    };
  }

  connect();

  return {
    call(method, args) {
      const id = nextId++;
      const frame = encodeMessage({ id, method, args });
      return new Promise((resolve) => {
        if (state === 'unauthorized') return resolve({ ok: false, error: { kind: 'user', message: UNAUTHORIZED_MESSAGE } });
        const open = socket !== null && state === 'open';
        pending.set(id, { frame, resolve, sent: open });
        if (open) socket!.send(frame);
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
  };
}

/** What a page with a refused token tells its user. */
export const UNAUTHORIZED_MESSAGE =
  'This page\'s access token is missing or out of date: the server was restarted, or the address lacks its ?token=... part. ' +
  'Open the address that `flowlab serve` printed when it started (run it again if it is not running); your runs are safe in the data folder.';

/** The API address for this page: same host, path /api, the token from ?token=. */
export function apiUrlFromLocation(loc: Location): string {
  const token = new URLSearchParams(loc.search).get('token') ?? '';
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api?token=${encodeURIComponent(token)}`;
}

/** The token check address for this page (same origin; see the server's TOKEN_CHECK_PATH). */
export function tokenCheckUrlFromLocation(loc: Location): string {
  const token = new URLSearchParams(loc.search).get('token') ?? '';
  return `${loc.protocol}//${loc.host}/api/token-check?token=${encodeURIComponent(token)}`;
}
