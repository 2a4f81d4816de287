/**
 * FlowLab's side of the MatMul limit: one MatMul built with the engine's graph builder,
 * serialized by its writer and run in a session from its session factory (the options every
 * FlowLab program runs with), timed like bench/peers/ort_matmul.mjs times the plain session.
 *
 * usage: node --import tsx bench/flowlab/matmul.ts --threads 2 --seconds 0.5 --rounds 3 --shapes 1024x1024x1024
 * prints one JSON line: { threads, results: [{ m, k, n, gflops, ms_per_run, runs }] }
 */
import { Graph } from '../../src-main/engine/onnx/graph.js';
import { matmul } from '../../src-main/engine/onnx/ops/index.js';
import { createSession, ort } from '../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../src-main/engine/onnx/serialize.js';

function parseArgs(argv: string[]): { threads: number; seconds: number; rounds: number; shapes: string } {
  const a: Record<string, string> = { threads: '2', seconds: '0.5', rounds: '3', shapes: '1024x1024x1024' };
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  return { threads: Number(a.threads), seconds: Number(a.seconds), rounds: Number(a.rounds), shapes: a.shapes };
}

function filled(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const g = new Graph('matmul');
  const A = g.input('A', 'float32', ['M', 'K']);
  const B = g.input('B', 'float32', ['K', 'N']);
  g.setOutputs(matmul(A, B));
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads: args.threads });
  const results = [];
  for (const shape of args.shapes.split(',')) {
    const [m, k, n] = shape.split('x').map(Number);
    const feeds = {
      A: new ort.Tensor('float32', filled(m * k, 1), [m, k]),
      B: new ort.Tensor('float32', filled(k * n, 2), [k, n]),
    };
    for (let i = 0; i < 3; i++) await session.run(feeds);
    let best = Infinity;
    let runs = 0;
    for (let r = 0; r < args.rounds; r++) {
      let count = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < args.seconds * 1000 || count < 3) {
        await session.run(feeds);
        count++;
        elapsed = performance.now() - start;
      }
      runs += count;
      best = Math.min(best, elapsed / count);
    }
    results.push({ m, k, n, ms_per_run: best, gflops: (2 * m * k * n) / (best / 1000) / 1e9, runs });
  }
  await session.release();
  process.stdout.write(JSON.stringify({ threads: args.threads, results }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
