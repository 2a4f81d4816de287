// The machine's limit: ONNX Runtime's own float32 MatMul throughput through onnxruntime-node,
// on the model bench/fixtures/matmul.onnx (Y = A @ B, symbolic [M, K] x [K, N]).
// GFLOP/s of one shape = 2 M K N / (seconds per run) / 1e9, best of `rounds` timed rounds
// (each round runs the shape until `seconds` have passed). The time includes onnxruntime-node's
// per-run overhead (binding, output allocation), small next to these shapes.
//
// usage: node bench/peers/ort_matmul.mjs --threads 2 --seconds 0.5 --rounds 3 --shapes 1024x1024x1024,1024x256x256
// prints one JSON line: {onnxruntime, threads, results: [{m, k, n, gflops, ms_per_run, runs}]}
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

const MODEL = fileURLToPath(new URL('../fixtures/matmul.onnx', import.meta.url));

function parseArgs(argv) {
  const args = { threads: 2, seconds: 0.5, rounds: 3, shapes: '1024x1024x1024' };
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  return { threads: Number(args.threads), seconds: Number(args.seconds), rounds: Number(args.rounds), shapes: args.shapes };
}

function filled(n, seed) {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

async function measureShape(session, m, k, n, seconds, rounds) {
  const feeds = {
    A: new ort.Tensor('float32', filled(m * k, 1), [m, k]),
    B: new ort.Tensor('float32', filled(k * n, 2), [k, n]),
  };
  for (let i = 0; i < 3; i++) await session.run(feeds);
  let best = Infinity;
  let runs = 0;
  for (let r = 0; r < rounds; r++) {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < seconds * 1000 || count < 3) {
      await session.run(feeds);
      count++;
      elapsed = performance.now() - start;
    }
    runs += count;
    best = Math.min(best, elapsed / count);
  }
  return { m, k, n, ms_per_run: best, gflops: (2 * m * k * n) / (best / 1000) / 1e9, runs };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const session = await ort.InferenceSession.create(MODEL, {
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const results = [];
  for (const shape of args.shapes.split(',')) {
    const [m, k, n] = shape.split('x').map(Number);
    results.push(await measureShape(session, m, k, n, args.seconds, args.rounds));
  }
  const version = ort.env.versions?.common ?? 'unknown';
  process.stdout.write(JSON.stringify({ onnxruntime: version, threads: args.threads, results }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
