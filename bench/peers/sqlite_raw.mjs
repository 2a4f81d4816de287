// The store's peer: better-sqlite3 used directly, the fastest plain way to log metrics into
// SQLite from Node: the same table (metrics (run_id, name, step, value), WITHOUT ROWID, primary
// key (run_id, name, step)), WAL journal, synchronous=NORMAL, one prepared INSERT OR REPLACE, one
// transaction per chunk of K losses and K gradient norms. Best of `rounds` timed rounds.
//
// usage: node bench/peers/sqlite_raw.mjs --chunk 100 --seconds 1 --rounds 3
// prints one JSON line: {better_sqlite3, chunk, rows_per_s, rows_per_s_median, rows}
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const require = createRequire(import.meta.url);
const args = { chunk: 100, seconds: 1, rounds: 3 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = Number(argv[i + 1]);

const dir = mkdtempSync(join(tmpdir(), 'flowlab-bench-sqlite-'));
try {
  const db = new Database(join(dir, 'metrics.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE metrics (run_id TEXT NOT NULL, name TEXT NOT NULL, step INTEGER NOT NULL, value REAL,
           PRIMARY KEY (run_id, name, step)) WITHOUT ROWID`);
  const insert = db.prepare('INSERT OR REPLACE INTO metrics (run_id, name, step, value) VALUES (?, ?, ?, ?)');
  const writeChunk = db.transaction((name, first, values) => {
    for (let i = 0; i < values.length; i++) insert.run('run-1', name, first + i, values[i]);
  });
  const losses = Float32Array.from({ length: args.chunk }, (_, i) => 1 / (1 + i));
  const norms = Float32Array.from({ length: args.chunk }, (_, i) => 2 / (1 + i));
  let step = 0;
  let rows = 0;
  const rates = [];
  for (let r = 0; r < args.rounds; r++) {
    let written = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < args.seconds * 1000) {
      writeChunk('loss', step, losses);
      writeChunk('grad_norm', step, norms);
      step += args.chunk;
      written += 2 * args.chunk;
      elapsed = performance.now() - start;
    }
    rows += written;
    rates.push(written / (elapsed / 1000));
  }
  db.close();
  rates.sort((a, b) => a - b);
  const version = JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')).version;
  process.stdout.write(JSON.stringify({ better_sqlite3: version, chunk: args.chunk, rows_per_s: rates[rates.length - 1], rows_per_s_median: rates[Math.floor(rates.length / 2)], rows }) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
