// One MatMul shape timed through an ONNX Runtime session: the same arguments, inputs and clock
// for the peer (bench/peers/ort_matmul.mjs, plain onnxruntime-node) and FlowLab's side
// (bench/flowlab/matmul.ts, its graph builder and session factory), so the two compare alike.
// GFLOP/s of one shape = 2 M K N / (seconds per run) / 1e9, best of `rounds` timed rounds (each
// round runs the shape until `seconds` have passed, at least 3 runs).
import ort from 'onnxruntime-node';

/** --threads 2 --seconds 0.5 --rounds 3 --shapes 1024x1024x1024[,MxKxN...] */
export function parseMatmulArgs(argv) {
  const args = { threads: 2, seconds: 0.5, rounds: 3, shapes: '1024x1024x1024' };
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  return { threads: Number(args.threads), seconds: Number(args.seconds), rounds: Number(args.rounds), shapes: String(args.shapes) };
}

/** n deterministic values in [-0.5, 0.5) (a linear congruential sequence). */
export function filled(n, seed) {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

/** Times A [m, k] @ B [k, n] on a session whose inputs are named A and B. */
export async function measureShape(session, m, k, n, seconds, rounds) {
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
