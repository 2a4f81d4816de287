/** A small WebSocket client of the API for tests: calls by method name, records every event. */
import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from '../../../src-main/api/wire.js';
import type { ApiEvent } from '../../../src-main/api/events.js';

export interface CallReply {
  id: number;
  ok: boolean;
  result?: any;
  error?: { kind: string; message: string };
}

export class TestClient {
  readonly events: ApiEvent[] = [];
  private nextId = 1;
  private pending = new Map<number, (r: CallReply) => void>();
  private waiters: { test: (e: ApiEvent) => boolean; resolve: (e: ApiEvent) => void }[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = decodeMessage(data.toString()) as any;
      if ('event' in m) {
        this.events.push(m.event);
        this.waiters = this.waiters.filter((w) => (w.test(m.event) ? (w.resolve(m.event), false) : true));
        return;
      }
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    });
  }

  static connect(url: string, headers?: Record<string, string>): Promise<TestClient> {
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  call(method: string, args: unknown = {}): Promise<CallReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(encodeMessage({ id, method, args }));
    });
  }

  /** The result of a call that must succeed. */
  async ok(method: string, args: unknown = {}): Promise<any> {
    const reply = await this.call(method, args);
    if (!reply.ok) throw new Error(`${method} failed: ${reply.error?.kind}: ${reply.error?.message}`);
    return reply.result;
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** The first event (already received or coming) that passes the test. */
  waitFor(test: (e: ApiEvent) => boolean, timeoutMs = 60_000): Promise<ApiEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
      this.waiters.push({ test, resolve: (e) => { clearTimeout(timer); resolve(e); } });
    });
  }

  close(): void {
    this.ws.close();
  }
}

export function apiUrl(port: number, token: string): string {
  return `ws://127.0.0.1:${port}/api?token=${token}`;
}
