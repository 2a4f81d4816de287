/**
 * SHA-256 of the serialized training program of the benchmark experiment (engine/train), at each
 * batch size, for the Loop and an unrolled program: two trees that print the same hashes run
 * the same ONNX program, so their training speed can differ only by noise.
 *
 * usage: node --import tsx bench/flowlab/programHash.ts --batches 256,1024,4096
 * prints one JSON line: { results: [{ batch, unroll, bytes, sha256 }] }
 */
import { createHash } from 'node:crypto';
import { benchConfig, benchNet, emit, fail, parseArgs } from './common.js';
import { getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import { buildTrainProgram, type TrainProgramSpec } from '../../src-main/engine/train/trainProgram.js';

/** Rows of the dataset the program holds (benchSession's DATA_POINTS; only the input shape depends on it). */
const DATA_ROWS = 100_000;

function main(): void {
  const a = parseArgs(process.argv.slice(2), { batches: '256,1024,4096' });
  const results = [];
  for (const batch of a.batches.split(',').map(Number)) {
    const config = benchConfig(batch, 1234, 2);
    const spec: TrainProgramSpec = {
      net: benchNet(config),
      interpolant: getInterpolant(config.interpolant),
      batch,
      nData: DATA_ROWS,
      nBase: null,
      optim: config.train,
      timeSampling: config.train.timeSampling ?? 'uniform',
    };
    for (const unroll of [0, 10]) {
      const bytes = buildTrainProgram(unroll ? { ...spec, unroll } : spec);
      results.push({ batch, unroll, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  }
  emit({ results });
}

try {
  main();
} catch (e) {
  fail(e);
}
