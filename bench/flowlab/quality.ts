/**
 * FlowLab's side of the time-to-quality race: train the benchmark experiment (batch 1024) and, as
 * the training wall time passes each horizon, save the parameters (raw float32, FlowLab's flat
 * layout) as <snapshots>/flowlab-<seconds>s.f32; evaluate.ts judges them afterwards, so
 * evaluation never counts as training time. With --export, the final net is also written in
 * FlowLab's export format (the sampling suite loads it into the peer), its parameters beside it
 * (`paramsPath(export)`).
 *
 * usage: node --import tsx bench/flowlab/quality.ts --horizons 30,60,120,300 --batch 1024 --snapshots DIR --threads 2 [--export file.onnx]
 * prints one JSON line: { threads, results: [{ seconds, trained_s, steps, loss, snapshot }] }
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportVelocityModel } from '../../src-main/engine/sample/velocityProgram.js';
import { benchSession, chunkSteps, emit, fail, paramsPath, parseArgs } from './common.js';

const SEED = 99;

function writeParams(file: string, params: Float32Array): void {
  writeFileSync(file, new Uint8Array(params.buffer, params.byteOffset, params.byteLength));
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { horizons: '30,60,120,300', batch: '1024', snapshots: '', threads: '2', export: '' });
  if (!a.snapshots) throw new Error('--snapshots DIR is required');
  const { session, net } = await benchSession(Number(a.batch), SEED, Number(a.threads));
  const horizons = a.horizons.split(',').map(Number).sort((x, y) => x - y);
  const results = [];
  let trained = 0;
  let k = 4;
  let loss = NaN;
  for (const horizon of horizons) {
    while (trained < horizon) {
      const start = performance.now();
      const out = await session.advance(k);
      const ms = performance.now() - start;
      trained += ms / 1000;
      loss = out.losses[out.losses.length - 1];
      // Aim the next call at ~CHUNK_TARGET_MS, and not far past the horizon.
      k = Math.max(1, Math.min(chunkSteps(ms / k), Math.ceil(((horizon - trained) * 1000) / (ms / k))));
    }
    const snapshot = join(a.snapshots, `flowlab-${horizon}s.f32`);
    writeParams(snapshot, session.state.params);
    results.push({ seconds: horizon, trained_s: trained, steps: session.state.step, loss, snapshot });
  }
  if (a.export) {
    const params = session.state.params;
    writeFileSync(a.export, exportVelocityModel(net, params, { dataset: 'checkerboard', interpolant: 'trig', steps: String(session.state.step) }));
    writeParams(paramsPath(a.export), params);
  }
  await session.release();
  emit({ threads: Number(a.threads), results });
}

main().catch(fail);
