// The machine's limit: ONNX Runtime's own float32 MatMul throughput through onnxruntime-node,
// on the model bench/fixtures/matmul.onnx (Y = A @ B, symbolic [M, K] x [K, N]).
// Timed by bench/lib/matmulTiming.mjs, as FlowLab's side is. The time includes onnxruntime-node's
// per-run overhead (binding, output allocation), small next to these shapes.
//
// usage: node bench/peers/ort_matmul.mjs --threads 2 --seconds 0.5 --rounds 3 --shapes 1024x1024x1024,1024x256x256
// prints one JSON line: {onnxruntime, threads, results: [{m, k, n, gflops, ms_per_run, runs}]}
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { measureShape, parseMatmulArgs } from '../lib/matmulTiming.mjs';

const MODEL = fileURLToPath(new URL('../fixtures/matmul.onnx', import.meta.url));

async function main() {
  const args = parseMatmulArgs(process.argv.slice(2));
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
