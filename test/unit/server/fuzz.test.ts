/**
 * The server as a hostile client finds it: WebSocket protocol violations, malformed and hostile
 * frames, every method with wrong types, deep and huge payloads. After every case the server is
 * alive and answering, every call that carried an id settles with a clean error, and the store
 * passes SQLite's integrity check at the end. Loopback only; bounded in count and time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../../src-main/server/startServer.js';
import { METHODS } from '../../../src-main/api/contract.js';
import { MAX_CALLS_IN_FLIGHT, createWsDoor } from '../../../src-main/server/wsDoor.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DATABASE_FILE } from '../../../src-main/store/open.js';
import { TestClient, apiUrl } from './wsClient.js';
import { closedWithin, frame, rawUpgrade } from './rawSocket.js';

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { kind: string; message: string };
}

/** A connection that sends text as it is and hands back the replies in arrival order. */
class RawTextClient {
  private replies: Reply[] = [];
  private waiting: ((r: Reply) => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Reply & { event?: unknown };
      if ('event' in m) return;
      const w = this.waiting.shift();
      if (w) w(m);
      else this.replies.push(m);
    });
  }

  static open(url: string): Promise<RawTextClient> {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawTextClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Sends one text frame and waits for the next reply (fails the test after 10 s). */
  send(text: string): Promise<Reply> {
    this.ws.send(text);
    return this.next();
  }

  next(): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply within 10 s: the call never settled')), 10_000);
      this.waiting.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Wrong values of every JSON type, for arguments and for each of their fields. */
const HOSTILE_VALUES: unknown[] = [null, true, -1, 1e308, 'x', '', [], [1, 2], {}, { $typed: 'f32', b64: 'AAAA' }, 'a'.repeat(5000)];

describe('the server under hostile input', () => {
  let dataDir: string;
  let server: RunningServer;
  let client: TestClient;
  const logged: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'flowlab-fuzz-'));
    server = await startServer({ port: 0, dataDir, log: (line) => logged.push(line) });
    client = await TestClient.connect(apiUrl(server.port, server.token));
  });

  after(async () => {
    client.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The server still answers a call, on the long-lived connection and on a new one. */
  async function assertAlive(): Promise<void> {
    assert.ok(Array.isArray(await client.ok('runs.list', {})), 'the long-lived connection still answers');
    const fresh = await TestClient.connect(apiUrl(server.port, server.token));
    try {
      assert.ok(await fresh.ok('settings.get', {}));
    } finally {
      fresh.close();
    }
  }

  const protocolViolations: [string, () => Buffer][] = [
    ['a text frame that is not UTF-8', () => frame({ opcode: 0x1, payload: new Uint8Array([0xff, 0xfe, 0xfd]) })],
    ['RSV1 set without an extension', () => frame({ opcode: 0x1, rsv: 0b100, payload: Buffer.from('{}') })],
    ['RSV2 and RSV3 set', () => frame({ opcode: 0x1, rsv: 0b011, payload: Buffer.from('{}') })],
    ['a reserved data opcode (0x3)', () => frame({ opcode: 0x3, payload: Buffer.from('x') })],
    ['a reserved control opcode (0xB)', () => frame({ opcode: 0xb })],
    ['an unmasked client frame', () => frame({ opcode: 0x1, payload: Buffer.from('{}'), masked: false })],
    ['a close frame with code 999', () => frame({ opcode: 0x8, payload: new Uint8Array([0x03, 0xe7]) })],
    ['a close frame with a one-byte body', () => frame({ opcode: 0x8, payload: new Uint8Array([0x03]) })],
    ['a fragmented ping', () => frame({ opcode: 0x9, fin: false })],
    ['a continuation frame with nothing to continue', () => frame({ opcode: 0x0, payload: Buffer.from('x') })],
    ['a frame declaring 2^40 bytes', () => frame({ opcode: 0x1, declaredLength: 2 ** 40 })],
    ['a frame declaring 300 MB (over the payload limit)', () => frame({ opcode: 0x2, declaredLength: 300 * 1024 * 1024 })],
    ['a ping with a 200-byte body', () => frame({ opcode: 0x9, payload: new Uint8Array(200) })],
    ['bytes that are no frame at all', () => Buffer.from('GET / HTTP/1.1\r\n\r\n')],
  ];

  for (const [name, bytes] of protocolViolations) {
    test(`protocol violation: ${name} closes that connection only`, async () => {
      const socket = await rawUpgrade(server.port, `/api?token=${server.token}`);
      socket.write(bytes());
      assert.ok(await closedWithin(socket, 5000), 'the server closed the offending connection');
      await assertAlive();
    });
  }

  test('a connection dropped halfway through its handshake or a frame harms nothing', async () => {
    const socket = await rawUpgrade(server.port, `/api?token=${server.token}`);
    socket.write(frame({ opcode: 0x1, payload: Buffer.from('{"id":1,"method":"runs.list","args":{}}') }).subarray(0, 5));
    socket.destroy();
    await assertAlive();
  });

  test('malformed and hostile frames each get a clean error, with the call\'s id where it showed one', async () => {
    const raw = await RawTextClient.open(apiUrl(server.port, server.token));
    try {
      const cases: [string, number, RegExp][] = [
        ['not json at all', -1, /unreadable frame/],
        ['[1, 2, 3]', -1, /numeric id/],
        ['"a string"', -1, /numeric id/],
        ['null', -1, /numeric id/],
        ['{"id":"7","method":"runs.list","args":{}}', -1, /numeric id/],
        ['{"id":1,"method":{"toString":1},"args":{}}', 1, /method must be a string/],
        ['{"id":2,"method":["runs.list"],"args":{}}', 2, /method must be a string/],
        ['{"id":3,"method":null,"args":{}}', 3, /method must be a string/],
        ['{"id":4,"method":"constructor","args":{}}', 4, /unknown method/],
        ['{"id":5,"method":"__proto__","args":{}}', 5, /unknown method/],
        ['{"id":6,"method":"runs.list","args":{"filter":{"$typed":"f32","b64":"!!!"}}}', 6, /unreadable frame/],
        ['{"id":7,"method":"runs.list","args":{"filter":{"$typed":"bogus","b64":""}}}', 7, /unreadable frame/],
        [`{"id":8,"method":"runs.list","args":${'['.repeat(5000)}${']'.repeat(5000)}}`, 8, /nested more than/],
        [`{"id":9,"method":"runs.list","args":{"a":${'{"a":'.repeat(200)}1${'}'.repeat(200)}}}`, 9, /nested more than/],
      ];
      for (const [text, id, message] of cases) {
        const reply = await raw.send(text);
        assert.equal(reply.id, id, text.slice(0, 60));
        assert.equal(reply.ok, false, text.slice(0, 60));
        assert.equal(reply.error?.kind, 'invalid', text.slice(0, 60));
        assert.match(reply.error!.message, message, text.slice(0, 60));
      }
    } finally {
      raw.close();
    }
    await assertAlive();
  });

  test('a 10 MB method name gets a short error, not itself echoed back', async () => {
    const raw = await RawTextClient.open(apiUrl(server.port, server.token));
    try {
      const reply = await raw.send(JSON.stringify({ id: 11, method: 'm'.repeat(10 * 1024 * 1024), args: {} }));
      assert.equal(reply.id, 11);
      assert.equal(reply.error?.kind, 'invalid');
      assert.ok(reply.error!.message.length < 300, `the error is ${reply.error!.message.length} characters`);
    } finally {
      raw.close();
    }
    await assertAlive();
  });

  test('"__proto__" in arguments pollutes no prototype', async () => {
    const raw = await RawTextClient.open(apiUrl(server.port, server.token));
    try {
      const reply = await raw.send('{"id":12,"method":"runs.list","args":{"__proto__":{"polluted":1},"filter":{"__proto__":{"status":"x"}}}}');
      assert.equal(reply.id, 12);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    } finally {
      raw.close();
    }
    await assertAlive();
  });

  test('every method with arguments of the wrong type is refused cleanly, never as an internal error', async () => {
    let calls = 0;
    for (const [method, spec] of Object.entries(METHODS)) {
      const shape = (spec.args as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      const variants: unknown[] = [...HOSTILE_VALUES.filter((v) => v !== null && !(typeof v === 'object' && !Array.isArray(v)))];
      for (const key of Object.keys(shape)) for (const value of HOSTILE_VALUES) variants.push({ [key]: value });
      variants.push({ unexpected: 1 });
      for (const args of variants) {
        const reply = await client.call(method, args);
        calls++;
        if (!reply.ok) {
          assert.notEqual(reply.error?.kind, 'internal', `${method} ${JSON.stringify(args)?.slice(0, 80)}: ${reply.error?.message}`);
        }
      }
    }
    assert.ok(calls > 200, `${calls} calls tried`);
    await assertAlive();
  });

  test(`more than ${MAX_CALLS_IN_FLIGHT} calls in flight on one connection: the excess is refused, every call settles`, async () => {
    const n = MAX_CALLS_IN_FLIGHT * 3;
    const replies = await Promise.all(Array.from({ length: n }, () => client.call('runs.list', {})));
    assert.equal(replies.length, n);
    assert.ok(replies.some((r) => r.ok));
    for (const r of replies) if (!r.ok) assert.match(r.error!.message, /too many calls in flight/);
    await assertAlive();
  });

  test('a result too large to encode comes back as an error for that call, and the door lives on', async () => {
    // A door of its own whose one method returns 100M floats: 533 MB as base64, past what one message may carry.
    const door = createWsDoor({ token: 't', allowedOrigins: () => [], dispatch: async () => ({ ok: true, result: { x: new Float32Array(100_000_000) } }) });
    const http = createServer();
    http.on('upgrade', (req, socket, head) => door.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const port = (http.address() as AddressInfo).port;
    const raw = await RawTextClient.open(`ws://127.0.0.1:${port}/api?token=t`);
    try {
      const reply = await raw.send('{"id":21,"method":"sample.run","args":{}}');
      assert.equal(reply.id, 21);
      assert.equal(reply.ok, false);
      assert.match(reply.error!.message, /too large to send/);
      const again = await raw.send('{"id":22,"method":"sample.run","args":{}}');
      assert.equal(again.id, 22, 'the same connection still answers');
    } finally {
      raw.close();
      door.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  });

  test('hostile paths: no file the user did not import is read, each refusal is quick and clean', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'flowlab-outside-'));
    const imports = join(dataDir, 'imports');
    mkdirSync(imports, { recursive: true });
    try {
      const secret = join(outside, 'secret.csv');
      writeFileSync(secret, 'a,b\n1,2\n3,4\n5,6\n');
      execFileSync('mkfifo', [join(outside, 'pipe.csv')]);
      execFileSync('mkfifo', [join(imports, 'pipe.csv')]);
      mkdirSync(join(imports, 'folder.csv'));
      symlinkSync(secret, join(imports, 'link-out.csv'));
      symlinkSync('/dev/zero', join(imports, 'zero.csv'));
      // [name, path, what the message must say]: outside paths never reach a reader; files placed
      // inside the imports folder by other means are read only if they are regular files.
      const cases: [string, string, RegExp][] = [
        ['a CSV outside the data folder', secret, /not a file imported/],
        ['/etc/hosts', '/etc/hosts', /not a file imported/],
        ['/dev/zero', '/dev/zero', /not a file imported/],
        ['/dev/stdin', '/dev/stdin', /not a file imported/],
        ['a FIFO outside the data folder', join(outside, 'pipe.csv'), /not a file imported/],
        ['a directory', outside, /not a file imported/],
        ['a relative path climbing out', '../../../../etc/hosts', /not a file imported/],
        ['a symlink out of the imports folder', join(imports, 'link-out.csv'), /not a file imported/],
        ['a symlink to /dev/zero in the imports folder', join(imports, 'zero.csv'), /not a file imported/],
        ['a FIFO in the imports folder', join(imports, 'pipe.csv'), /pipe \(FIFO\), not a data file/],
        // a folder is a table to the preview and may be an image folder to a training: refused either way
        ['a folder named .csv in the imports folder', join(imports, 'folder.csv'), /folder, not a data file|no PNG or JPEG images/],
        ['a missing import', join(imports, 'gone.csv'), /no longer in FlowLab's imports folder/],
      ];
      let tried = 0;
      for (const [name, path, message] of cases) {
        for (const [method, args] of [
          ['datasets.preview', { name: path, n: 10, seed: 1 }],
          ['train.start', { config: { dataset: path, train: { seed: 1, steps: 10 } } }],
          ['train.start', { config: { dataset: 'moons', base: path, train: { seed: 1, steps: 10 } } }],
        ] as const) {
          const started = Date.now();
          const reply = await client.call(method, args);
          tried++;
          const what = `${method} with ${name}`;
          let error = reply.error;
          if (reply.ok && method === 'train.start') {
            // A file inside the imports folder passes the path check; the engine's reader then
            // refuses it, and the training's failure reaches the client with its reason.
            const jobId = reply.result.jobId as string;
            const failed = await client.waitFor((e) => e.type === 'jobFailed' && e.jobId === jobId, 10_000);
            error = { kind: 'user', message: (failed as { reason: string }).reason };
          }
          assert.ok(error, `${what} was accepted`);
          assert.equal(error.kind, 'user', `${what}: ${error.message}`);
          assert.match(error.message, message, what);
          assert.equal(error.message.includes('\n'), false, `${what}: one line`);
          assert.ok(Date.now() - started < 10_000, `${what} took ${Date.now() - started} ms`);
        }
      }
      assert.equal(tried, cases.length * 3);
      assert.ok(!JSON.stringify(client.events).includes('127.0.0.1'), 'nothing of /etc/hosts reached a client');
    } finally {
      rmSync(outside, { recursive: true, force: true });
      for (const f of ['pipe.csv', 'folder.csv', 'link-out.csv', 'zero.csv']) rmSync(join(imports, f), { recursive: true, force: true });
    }
    await assertAlive();
  });

  test('the store is intact after all of it', () => {
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
    } finally {
      db.close();
    }
  });
});
