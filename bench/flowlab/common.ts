/**
 * What FlowLab's benchmark programs share: argument parsing, the benchmark experiment (the
 * default net and trigonometric interpolant on the checkerboard, with the peers' settings: Adam
 * lr 1e-3, constant rate, no warm-up, no clipping, uniform t), a training session for it,
 * and the checkerboard in-square fraction.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMlpConfig, type MlpExperimentConfig } from '../../src-main/api/config.js';
import { checkerboard } from '../../src-main/engine/data/toys/checkerboard.js';
import { getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import type { MlpSpec } from '../../src-main/engine/nets/mlp.js';
import { initialState, TrainSession } from '../../src-main/engine/train/trainSession.js';
import type { LossAndGrads } from '../../src-main/engine/train/trainProgram.js';
// One fused call aims at the service's wall time and step cap.
import { TARGET_CHUNK_MS as CHUNK_TARGET_MS, MAX_CHUNK as MAX_CHUNK_STEPS } from '../../src-main/service/train.js';

/** Points of the in-memory training set (the peers hold the same number). */
export const DATA_POINTS = 100_000;

export function parseArgs<T extends Record<string, string>>(argv: string[], defaults: T): T {
  const out: Record<string, string> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults)) throw new Error(`unknown option --${key}; known: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')}`);
    out[key] = argv[i + 1];
  }
  return out as T;
}

export function benchConfig(batch: number, seed: number, threads: number): MlpExperimentConfig {
  const c = defaultMlpConfig('checkerboard', seed);
  // Uniform t, as the peers sample it (FlowLab's default is the late-time density).
  c.train = { ...c.train, batch, lr: 1e-3, schedule: 'constant', warmupSteps: 0, clipNorm: 0, steps: 100_000_000, timeSampling: 'uniform' };
  c.threads = threads;
  c.backend = 'cpu';
  return c;
}

export function benchNet(c: MlpExperimentConfig): MlpSpec {
  return { ...c.net, dim: 2 };
}

export async function benchSession(batch: number, seed: number, threads: number, lossAndGrads?: LossAndGrads): Promise<{ session: TrainSession; net: MlpSpec; buildS: number }> {
  const config = benchConfig(batch, seed, threads);
  const net = benchNet(config);
  const start = performance.now();
  const session = await TrainSession.create({
    config,
    net,
    interpolant: getInterpolant(config.interpolant),
    data: checkerboard.sample(DATA_POINTS, seed),
    base: null,
    state: initialState(net, seed),
    backend: 'cpu',
    threads,
    lossAndGrads,
  });
  return { session, net, buildS: (performance.now() - start) / 1000 };
}

/** Steps per call so that one call takes about CHUNK_TARGET_MS, from a measured rate. */
export function chunkSteps(msPerStep: number): number {
  return Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.round(CHUNK_TARGET_MS / msPerStep)));
}

/** Fraction of points on the checkerboard's black squares (where its exact density is positive). */
export function inSquareFraction(points: Float32Array): number {
  const n = points.length / 2;
  const logp = checkerboard.logDensity!(points, n);
  let inside = 0;
  for (let i = 0; i < n; i++) if (logp[i] > -Infinity) inside++;
  return inside / n;
}

/** The raw float32 parameter vector written beside an export. */
export function paramsPath(exportPath: string): string {
  return exportPath.replace(/\.onnx$/, '') + '.params.f32';
}

export function emit(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export function fail(err: unknown): never {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  ts: number;
  args?: { op_name?: string };
}

/** One kernel's time in an ONNX Runtime profile: its node, its op type, microseconds. */
export interface KernelTime {
  node: string;
  op: string;
  us: number;
}

/**
 * The kernels of the last run in the profile ONNX Runtime wrote into `dir` (a session created
 * with profiling on, then endProfiling): the earlier runs are warm-up.
 */
export function lastRunKernels(dir: string): KernelTime[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.json'));
  if (!file) throw new Error('ONNX Runtime wrote no profile');
  const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[];
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((x, y) => x.ts - y.ts);
  if (runs.length < 2) throw new Error('the profile does not show two runs (a warm-up and the one measured)');
  const from = runs[runs.length - 1].ts;
  return events
    .filter((e) => e.ts >= from && e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.args?.op_name)
    .map((e) => ({ node: e.name.replace(/_kernel_time$/, ''), op: e.args!.op_name!, us: e.dur }));
}
