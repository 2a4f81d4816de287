// Joins scripts/gpu-check.sh's pieces into one results file, DIR/gpu-speed.json, that
// bench/summarize.mjs renders as BENCHMARKS.md's GPU speed table:
//   node bench/gpuMerge.mjs DIR MACHINE
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, machine] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node bench/gpuMerge.mjs DIR MACHINE');
  process.exit(2);
}
const lastJson = (f) => {
  if (!existsSync(f)) return null;
  const text = readFileSync(f, 'utf8').trim();
  try {
    return JSON.parse(text.startsWith('{\n') ? text : text.split('\n').at(-1));
  } catch {
    return null;
  }
};
const flowlab = lastJson(join(dir, 'gpu-flowlab.json'));
const torch = lastJson(join(dir, 'gpu-torch.json'));
const buffers = lastJson(join(dir, 'gpu-buffers.json'));
const calibration = lastJson(join(dir, 'gpu-calibration.json'));
const rows = [...(flowlab?.rows ?? []), ...(torch?.rows ?? [])];
const result = {
  suite: 'gpu-speed',
  date: new Date().toISOString(),
  machine,
  quick: flowlab?.quick ?? false,
  torch: torch ? { version: torch.torch, device: torch.device, missing: torch.missing } : { missing: 'the PyTorch peer did not run' },
  gpuBuffers: buffers?.findings ?? null,
  // `flowlab backends --calibrate`: what 'auto' decides per job and size here, and the rates behind it
  calibration: calibration ? { decisions: calibration.decisions, entries: calibration.calibration?.entries ?? [] } : null,
  rows,
};
writeFileSync(join(dir, 'gpu-speed.json'), JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${join(dir, 'gpu-speed.json')}: ${rows.length} figures`);
