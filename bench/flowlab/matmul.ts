/**
 * FlowLab's side of the MatMul limit: one MatMul built with the engine's graph builder,
 * serialized by its writer and run in a session from its session factory (the options every
 * FlowLab program runs with), timed by bench/lib/matmulTiming.mjs as the peer's plain session is.
 *
 * usage: node --import tsx bench/flowlab/matmul.ts --threads 2 --seconds 0.5 --rounds 3 --shapes 1024x1024x1024
 * prints one JSON line: { threads, results: [{ m, k, n, gflops, ms_per_run, runs }] }
 */
import { Graph } from '../../src-main/engine/onnx/graph.js';
import { matmul } from '../../src-main/engine/onnx/ops/index.js';
import { createSession } from '../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../src-main/engine/onnx/serialize.js';
import { measureShape, parseMatmulArgs } from '../lib/matmulTiming.mjs';

async function main(): Promise<void> {
  const args = parseMatmulArgs(process.argv.slice(2));
  const g = new Graph('matmul');
  const A = g.input('A', 'float32', ['M', 'K']);
  const B = g.input('B', 'float32', ['K', 'N']);
  g.setOutputs(matmul(A, B));
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads: args.threads });
  const results = [];
  for (const shape of args.shapes.split(',')) {
    const [m, k, n] = shape.split('x').map(Number);
    results.push(await measureShape(session, m, k, n, args.seconds, args.rounds));
  }
  await session.release();
  process.stdout.write(JSON.stringify({ threads: args.threads, results }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
