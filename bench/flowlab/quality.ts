/**
 * FlowLab's side of the time-to-quality race, driven line by line on stdin so the suite can
 * alternate it with the peer in slices (both then train under the same load):
 *   (start)            -> { ready: true, build_s }
 *   train <seconds>    trains until its training wall time reaches <seconds>  -> { trained_s, steps, loss }
 *   snapshot <label>   saves the parameters (raw float32, FlowLab's flat layout) as
 *                      <snapshots>/flowlab-<label>s.f32                       -> { snapshot, trained_s, steps, loss }
 *   (end of input)     writes --export (FlowLab's export format, parameters beside it) -> { done: true }
 * evaluate.ts judges the snapshots afterwards, so evaluation never counts as training time.
 *
 * usage: node --import tsx bench/flowlab/quality.ts --batch 1024 --snapshots DIR --threads 2 [--export file.onnx]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exportVelocityModel } from '../../src-main/engine/sample/velocityProgram.js';
import { benchSession, chunkSteps, emit, fail, paramsPath, parseArgs } from './common.js';

const SEED = 99;

function writeParams(file: string, params: Float32Array): void {
  writeFileSync(file, new Uint8Array(params.buffer, params.byteOffset, params.byteLength));
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { batch: '1024', snapshots: '', threads: '2', export: '' });
  if (!a.snapshots) throw new Error('--snapshots DIR is required');
  const { session, net, buildS } = await benchSession(Number(a.batch), SEED, Number(a.threads));
  emit({ ready: true, build_s: buildS });
  let trained = 0;
  let k = 4;
  let loss = NaN;
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, arg] = line.trim().split(/\s+/);
    if (command === 'train') {
      const until = Number(arg);
      while (trained < until) {
        const start = performance.now();
        const out = await session.advance(k);
        const ms = performance.now() - start;
        trained += ms / 1000;
        loss = out.losses[out.losses.length - 1];
        // Aim the next call at the chunk target, and not far past the end of the slice.
        k = Math.max(1, Math.min(chunkSteps(ms / k), Math.ceil(((until - trained) * 1000) / (ms / k))));
      }
      emit({ trained_s: trained, steps: session.state.step, loss });
    } else if (command === 'snapshot') {
      const snapshot = join(a.snapshots, `flowlab-${arg}s.f32`);
      writeParams(snapshot, session.state.params);
      emit({ snapshot, trained_s: trained, steps: session.state.step, loss });
    } else if (command) {
      throw new Error(`unknown command '${command}'; use train <seconds> or snapshot <label>`);
    }
  }
  if (a.export) {
    const params = session.state.params;
    writeFileSync(a.export, exportVelocityModel(net, params, { dataset: 'checkerboard', interpolant: 'trig', steps: String(session.state.step) }));
    writeParams(paramsPath(a.export), params);
  }
  await session.release();
  emit({ done: true });
}

main().catch(fail);
