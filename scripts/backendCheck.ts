/**
 * The GPU table of BENCHMARKS.md: `flowlab backends --check` with every figure kept.
 *   node --import tsx scripts/backendCheck.ts --backend webgpu [--threads N] [--tol X]
 *     [--train-steps 1,50,500] [--n 4096] [--speed yes|no] [--out bench/results/gpu.json] [--machine TEXT]
 * Prints one JSON object (also written to --out, which bench/summarize.mjs renders); exit 1 if
 * the backend differs from the CPU by more than --tol, 2 if it is unknown or does not run here.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkBackend } from '../src-main/engine/backendCheck.js';
import { BACKEND_PREFERENCE, probeBackend, type Backend } from '../src-main/engine/onnx/runtime.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    threads: { type: 'string', default: '0' },
    tol: { type: 'string', default: '1e-4' },
    speed: { type: 'string', default: 'yes' },
    'train-steps': { type: 'string', default: '1,50,500' },
    n: { type: 'string', default: '4096' },
    out: { type: 'string' },
    machine: { type: 'string' },
  },
});
const backend = values.backend as Backend;
if (!BACKEND_PREFERENCE.includes(backend)) {
  console.error(`unknown backend '${backend}'; choose webgpu, cuda or cpu`);
  process.exit(2);
}
const reason = await probeBackend(backend);
if (reason !== null) {
  console.log(JSON.stringify({ backend, available: false, reason }));
  process.exit(2);
}
const report = await checkBackend(backend, {
  threads: Number(values.threads),
  tol: Number(values.tol),
  trainSteps: values['train-steps']!.split(',').map(Number),
  n: Number(values.n),
  speed: values.speed !== 'no',
  log: (l) => process.stderr.write(`${l}\n`),
});
if (values.machine) report.machine.description = values.machine;
console.log(JSON.stringify(report, null, 1));
if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
process.exit(report.pass ? 0 : 1);
