/**
 * Pretrained velocity nets shipped in `models/` (<name>.onnx, the exported model, and
 * <name>.json, its manifest: how it was trained and what it measured), so a new user samples and
 * explores at once. Any FlowLab export can be sampled the same way: its ONNX session is the
 * velocity field of the host-side solvers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { createSession, ort, type Backend } from '../engine/onnx/runtime.js';
import { Rng } from '../engine/random.js';
import { solveOde, type SolverName } from '../engine/sample/solveOde.js';
import type { VelocityFn } from '../engine/sample/types.js';

export interface PretrainedManifest {
  name: string;
  title: string;
  description: string;
  dataset: string;
  interpolant: string;
  dim: number;
  tMax: number;
  config: unknown;
  training: { steps: number; seconds: number; stepsPerSec: number; backend: string; flowlabVersion: string; date: string };
  metrics: Record<string, number>;
}

/** models/ beside the app: FLOWLAB_MODELS_DIR, else the nearest `models` folder above this module. */
export function modelsDir(): string {
  if (process.env.FLOWLAB_MODELS_DIR) return process.env.FLOWLAB_MODELS_DIR;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'models');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new UserError('the pretrained models folder was not found; set FLOWLAB_MODELS_DIR to the folder holding <name>.onnx and <name>.json');
}

export function listPretrained(dir = modelsDir()): PretrainedManifest[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && existsSync(join(dir, f.replace(/\.json$/, '.onnx'))))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as PretrainedManifest);
}

export function getPretrained(name: string, dir = modelsDir()): PretrainedManifest {
  const m = listPretrained(dir).find((p) => p.name === name);
  if (!m) throw new UserError(`no pretrained model '${name}'; available: ${listPretrained(dir).map((p) => p.name).join(', ') || 'none'}`);
  return m;
}

/** The velocity field of an exported model (inputs x [N, d], t [N, 1]; output v). */
export async function onnxVelocity(modelPath: string, backend: Backend = 'cpu', threads = 0): Promise<{ fn: VelocityFn; release: () => Promise<void> }> {
  const session = await createSession(readFileSync(modelPath), { backend, threads });
  const fn: VelocityFn = async (t, x, n, d) => {
    const xs = x instanceof Float32Array ? x : Float32Array.from(x);
    const out = await session.run({ x: new ort.Tensor('float32', xs, [n, d]), t: new ort.Tensor('float32', new Float32Array(n).fill(t), [n, 1]) });
    return out.v.data as Float32Array;
  };
  return { fn, release: () => session.release() };
}

export interface PretrainedSampleOptions {
  name: string;
  n: number;
  solver?: SolverName;
  steps?: number;
  seed?: number;
  /** Number of states to keep along the way (for the animation), start and end included. */
  snapshots?: number;
  dir?: string;
}

export async function samplePretrained(o: PretrainedSampleOptions): Promise<{ x: Float32Array; n: number; d: number; nfe: number; seconds: number; snapshots?: { t: number[]; xs: Float32Array[] } }> {
  const started = performance.now();
  const dir = o.dir ?? modelsDir();
  const m = getPretrained(o.name, dir);
  if (!Number.isInteger(o.n) || o.n < 1 || o.n > 1_000_000) throw new UserError(`n must be a whole number from 1 to 1000000, got ${o.n}`);
  const v = await onnxVelocity(join(dir, `${m.name}.onnx`));
  try {
    const x0 = new Rng(o.seed ?? 1, 7).fillNormal(new Float64Array(o.n * m.dim));
    const r = await solveOde(v.fn, x0, o.n, m.dim, { t0: 0, t1: m.tMax, solver: o.solver ?? 'rk4', steps: o.steps ?? 50, snapshots: o.snapshots });
    const snapshots = r.snapshots ? { t: r.snapshots.t, xs: r.snapshots.xs.map((s) => Float32Array.from(s)) } : undefined;
    return { x: Float32Array.from(r.x), n: o.n, d: m.dim, nfe: r.nfe, seconds: (performance.now() - started) / 1000, snapshots };
  } finally {
    await v.release();
  }
}
