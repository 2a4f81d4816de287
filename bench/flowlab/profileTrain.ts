/**
 * Where FlowLab's training time goes: the benchmark experiment's training session run under ONNX
 * Runtime's profiler (TrainSession.create's `profilePrefix`), node time summed per op type (the
 * nodes inside the training Loop included), as a share of all node time and in ms per step.
 * Only the last, warm call is counted.
 *
 * usage: node --import tsx bench/flowlab/profileTrain.ts --batch 1024 --steps 40 --threads 2
 * prints one JSON line: { batch, steps, wall_ms_per_step, node_ms_per_step, ops: [{ op, share, ms_per_step }] }
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkerboard } from '../../src-main/engine/data/toys/checkerboard.js';
import { getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import { initialState, TrainSession } from '../../src-main/engine/train/trainSession.js';
import { benchConfig, benchNet, DATA_POINTS, emit, fail, lastRunKernels, parseArgs } from './common.js';

const SEED = 1234;
/** Op types below this share of node time are summed into "other". */
const MIN_SHARE = 0.01;

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { batch: '1024', steps: '40', threads: '2' });
  const batch = Number(a.batch);
  const steps = Number(a.steps);
  const threads = Number(a.threads);
  const config = benchConfig(batch, SEED, threads);
  const net = benchNet(config);
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-bench-profile-'));
  try {
    const session = await TrainSession.create({
      config, net, interpolant: getInterpolant(config.interpolant), data: checkerboard.sample(DATA_POINTS, SEED),
      base: null, state: initialState(net, SEED), backend: 'cpu', threads, profilePrefix: join(dir, 'train'),
    });
    await session.advance(steps);
    const start = performance.now();
    await session.advance(steps);
    const wallMs = performance.now() - start;
    session.endProfiling();
    await session.release();
    const byOp = new Map<string, number>();
    let total = 0;
    // the Loop node's time is the sum of the nodes it runs
    for (const k of lastRunKernels(dir).filter((k) => k.op !== 'Loop')) {
      byOp.set(k.op, (byOp.get(k.op) ?? 0) + k.us);
      total += k.us;
    }
    const ops: { op: string; share: number; ms_per_step: number }[] = [];
    let other = 0;
    for (const [op, us] of [...byOp.entries()].sort((x, y) => y[1] - x[1])) {
      if (us / total < MIN_SHARE) other += us;
      else ops.push({ op, share: us / total, ms_per_step: us / 1000 / steps });
    }
    if (other > 0) ops.push({ op: 'other', share: other / total, ms_per_step: other / 1000 / steps });
    emit({ batch, steps, wall_ms_per_step: wallMs / steps, node_ms_per_step: total / 1000 / steps, ops });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(fail);
