/**
 * Where FlowLab's training time goes: the benchmark experiment's training session run under ONNX
 * Runtime's profiler (TrainSession.create's `profilePrefix`), node time summed per op type (the
 * nodes inside the training Loop included), as a share of all node time and in ms per step.
 * Only the last, warm call is counted.
 *
 * usage: node --import tsx bench/flowlab/profileTrain.ts --batch 1024 --steps 40 --threads 2
 * prints one JSON line: { batch, steps, wall_ms_per_step, node_ms_per_step, ops: [{ op, share, ms_per_step }] }
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkerboard } from '../../src-main/engine/data/toys/checkerboard.js';
import { getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import { initialState, TrainSession } from '../../src-main/engine/train/trainSession.js';
import { benchConfig, benchNet, DATA_POINTS, emit, fail, parseArgs } from './common.js';

const SEED = 1234;
/** Op types below this share of node time are summed into "other". */
const MIN_SHARE = 0.01;

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  ts: number;
  args?: { op_name?: string };
}

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
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new Error('ONNX Runtime wrote no profile');
    const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[];
    const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((x, y) => x.ts - y.ts);
    if (runs.length < 2) throw new Error('the profile does not show two runs');
    const from = runs[runs.length - 1].ts;
    const byOp = new Map<string, number>();
    let total = 0;
    for (const e of events) {
      if (e.ts < from || e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name || e.args.op_name === 'Loop') continue;
      byOp.set(e.args.op_name, (byOp.get(e.args.op_name) ?? 0) + e.dur);
      total += e.dur;
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
