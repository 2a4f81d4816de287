/**
 * Records in a FlowLab data folder a U-Net run trained outside FlowLab by its PyTorch peer
 * (bench/peers/unet_train_torch.py: the same net, loss, Adam, schedule and EMA, in FlowLab's flat
 * parameter layout), as the run FlowLab's own training would have left: its config, a checkpoint
 * of its parameters and EMA (with Adam's moments when the peer wrote them) and sample shape, its
 * loss, gradient-norm and wall-time curves, its progress and training time, and a final gallery;
 * ended completed, or stopped when it stopped short of its steps. So it opens in the app like any
 * other run, `flowlab sample` / `flowlab eval` work on it, and
 * `scripts/buildPretrained.ts --from DATA_DIR --run RUN_ID --name NAME` evaluates and ships it.
 *
 *   node --import tsx scripts/importPeerRun.ts --data-dir DIR --peer PEER_DIR [--name NAME] [--samples N]
 *
 * PEER_DIR holds
 *   run.json   { config (a FlowLab experiment config, a U-Net on images), stepsDone, trainSeconds,
 *                device, torch (version), peer (script path), losses [stepsDone], gradNorms
 *                [stepsDone] (pre-clip global norms), wall [[steps, seconds], ...], check? }
 *              losses[i] and gradNorms[i] are step i's (FlowLab's metric step, from 0); a wall
 *              point is the training seconds once `steps` steps were done (1 to stepsDone), which
 *              FlowLab's wall_s curve records at the index of the last of them, steps - 1.
 *   params.f32, ema.f32   little-endian float32 in FlowLab's flat layout (the net's parameter count)
 *   m.f32, v.f32          Adam's moments in the same layout (optional, both or neither)
 * --samples: final images drawn for the run's gallery (default 64, as a training draws; 0: none).
 * Prints the new run's id; bad input is one line on stderr and exit code 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError } from '../src-main/errors.js';
import { parseConfig, type ExperimentConfig } from '../src-main/api/config.js';
import { isImageDatasetSpec } from '../src-main/engine/data/images/index.js';
import { netParamCount } from '../src-main/engine/nets/velocityNet.js';
import { openStore, type AdamMoments, type RunRecord, type Store } from '../src-main/store/index.js';
import { loadImageRunData } from '../src-main/service/imageRunData.js';
import { netSpec } from '../src-main/service/runModel.js';
import { runName } from '../src-main/service/train.js';
import { FINAL_SAMPLE_IMAGES } from '../src-main/service/runTraining.js';
import { sampleRun } from '../src-main/service/sample.js';
import { VERSION } from '../src-main/version.js';

/** A peer run read and checked: everything recorded comes from here. */
export interface PeerRun {
  config: ExperimentConfig;
  /** One sample's shape [C, H, W], as FlowLab's training reads it from the config's dataset. */
  shape: number[];
  stepsDone: number;
  trainSeconds: number;
  device: string;
  torch: string;
  peer: string;
  losses: number[];
  gradNorms: number[];
  /** [steps done, seconds] pairs, steps increasing from 1 to at most stepsDone. */
  wall: [number, number][];
  check: Record<string, unknown> | null;
  params: Float32Array;
  ema: Float32Array;
  /** Adam's moments, or null when the peer did not write them. */
  moments: AdamMoments | null;
}

/** Tag of the runs this script records (the runs list filters by it). */
export const PEER_TAG = 'pytorch-peer';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A run.json field checked by `ok`, or a one-line error naming it. */
function field<T>(raw: Record<string, unknown>, key: string, ok: (v: unknown) => boolean, what: string): T {
  const v = raw[key];
  if (!ok(v)) throw new UserError(`run.json: ${key} must be ${what}, got ${v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 60)}`);
  return v as T;
}

/** A list of `length` finite numbers (at least `min`), or a one-line error naming the first bad entry. */
function numbers(raw: Record<string, unknown>, key: string, length: number, min = -Infinity): number[] {
  const v = raw[key];
  if (!Array.isArray(v) || v.length !== length) {
    throw new UserError(`run.json: ${key} must be a list of stepsDone = ${length} numbers, got ${Array.isArray(v) ? `${v.length}` : JSON.stringify(v) ?? 'nothing'}`);
  }
  const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x) || x < min);
  if (bad >= 0) throw new UserError(`run.json: ${key}[${bad}] is ${JSON.stringify(v[bad])}, not a finite number${min > -Infinity ? ` >= ${min}` : ''}`);
  return v as number[];
}

/** The wall-time points: [steps done, seconds], steps increasing in [1, stepsDone], seconds not decreasing. */
function wallPoints(raw: Record<string, unknown>, stepsDone: number, trainSeconds: number): [number, number][] {
  const v = raw.wall;
  if (!Array.isArray(v)) throw new UserError('run.json: wall must be a list of [steps done, seconds] pairs');
  let last: [number, number] = [0, 0];
  for (const [i, p] of v.entries()) {
    const ok = Array.isArray(p) && p.length === 2 && Number.isInteger(p[0]) && typeof p[1] === 'number' && Number.isFinite(p[1]);
    if (!ok) throw new UserError(`run.json: wall[${i}] must be a [steps done, seconds] pair, got ${JSON.stringify(p)}`);
    const [steps, seconds] = p as [number, number];
    if (steps <= last[0] || steps > stepsDone) throw new UserError(`run.json: wall[${i}]'s ${steps} steps done must be above the ${last[0]} before it and at most stepsDone = ${stepsDone}`);
    if (seconds < last[1]) throw new UserError(`run.json: wall[${i}]'s ${seconds} s is less than the ${last[1]} s before it`);
    last = [steps, seconds];
  }
  // the peer may round trainSeconds; a wall curve ending well past it is another run's
  if (last[1] > trainSeconds * 1.01 + 0.01) throw new UserError(`run.json: wall ends at ${last[1]} s, past trainSeconds = ${trainSeconds}`);
  return v as [number, number][];
}

/** PEER_DIR/<name> as float32 values (little-endian), exactly `count` of them and all finite. */
function readFloats(dir: string, name: string, count: number, netText: string, min = -Infinity): Float32Array {
  const path = join(dir, name);
  if (!existsSync(path)) throw new UserError(`${path} is missing`);
  const bytes = readFileSync(path);
  if (bytes.length % 4 !== 0) throw new UserError(`${path} is not float32: ${bytes.length} bytes is not a multiple of 4`);
  if (bytes.length / 4 !== count) {
    throw new UserError(`${path} holds ${bytes.length / 4} float32 values, but the config's ${netText} has ${count} parameters`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const x = view.getFloat32(4 * i, true);
    if (!Number.isFinite(x) || x < min) throw new UserError(`${path}: value ${i} is ${x}, not a finite number${min > -Infinity ? ` >= ${min}` : ''}`);
    out[i] = x;
  }
  return out;
}

/** Reads PEER_DIR and checks it against FlowLab's own net and data, before anything is recorded. */
export async function readPeerRun(dir: string): Promise<PeerRun> {
  const jsonPath = join(dir, 'run.json');
  if (!existsSync(jsonPath)) throw new UserError(`${jsonPath} is missing; --peer names the folder the PyTorch peer wrote`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new UserError(`${jsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(raw)) throw new UserError(`${jsonPath} must hold a JSON object`);
  if (!isObject(raw.config)) throw new UserError('run.json: config must be a FlowLab experiment config (an object)');
  let config: ExperimentConfig;
  try {
    config = parseConfig(raw.config);
  } catch (e) {
    throw new UserError(`run.json: config.${(e as Error).message}`);
  }
  if (config.net.kind !== 'unet') throw new UserError(`run.json: config.net.kind is '${config.net.kind}'; the PyTorch peer trains FlowLab's U-Net, so only a 'unet' run can be imported`);
  if (!isImageDatasetSpec(config.dataset)) throw new UserError(`run.json: config.dataset '${config.dataset}' is not an image dataset; a U-Net run trains on images (e.g. mnist)`);
  if (config.interpolant === 'learned') throw new UserError("run.json: config.interpolant 'learned' is not available for image runs");
  // the shape as FlowLab's training reads it (service/train.ts): from the dataset itself, which
  // sampling and evaluation read again
  const { shape } = await loadImageRunData(config);
  const net = netSpec(config, shape);
  const count = netParamCount(net);
  const u = config.net;
  const netText = `U-Net (baseChannels ${u.baseChannels}, channelMults [${u.channelMults.join(', ')}], blocksPerLevel ${u.blocksPerLevel}, attention ${u.attention}, timeFrequencies ${u.timeFrequencies}) on ${shape.join(' x ')} images`;

  const stepsDone = field<number>(raw, 'stepsDone', (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= config.train.steps, `a whole number from 1 to the config's train.steps = ${config.train.steps}`);
  const trainSeconds = field<number>(raw, 'trainSeconds', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a number of seconds >= 0');
  const text = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
  const device = field<string>(raw, 'device', text, 'the device it trained on (text)').trim();
  const torch = field<string>(raw, 'torch', text, "torch's version (text)").trim();
  const peer = field<string>(raw, 'peer', text, "the peer script's path (text)").trim();
  const losses = numbers(raw, 'losses', stepsDone);
  const gradNorms = numbers(raw, 'gradNorms', stepsDone, 0);
  const wall = wallPoints(raw, stepsDone, trainSeconds);
  if (raw.check !== undefined && raw.check !== null && !isObject(raw.check)) throw new UserError('run.json: check must be an object of the peer\'s check figures, or absent');
  const check = isObject(raw.check) ? raw.check : null;

  const params = readFloats(dir, 'params.f32', count, netText);
  const ema = readFloats(dir, 'ema.f32', count, netText);
  const [hasM, hasV] = [existsSync(join(dir, 'm.f32')), existsSync(join(dir, 'v.f32'))];
  if (hasM !== hasV) throw new UserError(`${join(dir, hasM ? 'm.f32' : 'v.f32')} is there without ${hasM ? 'v.f32' : 'm.f32'}: Adam's moments come as a pair, or not at all`);
  const moments = hasM ? { m: readFloats(dir, 'm.f32', count, netText), v: readFloats(dir, 'v.f32', count, netText, 0) } : null;
  return { config, shape, stepsDone, trainSeconds, device, torch, peer, losses, gradNorms, wall, check, params, ema, moments };
}

/** Where it trained, as the run's backend reads: "pytorch-cuda (NVIDIA H200)", "pytorch-cpu". */
export function peerBackend(device: string): string {
  if (/^cpu$/i.test(device)) return 'pytorch-cpu';
  if (/^mps\b/i.test(device)) return 'pytorch-mps';
  return `pytorch-cuda (${device})`;
}

/** A check figure as people read it: numbers to 4 significant digits, lists of them in brackets. */
function figure(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (Array.isArray(v)) return `[${v.map(figure).join(', ')}]`;
  return JSON.stringify(v);
}

/** The run's notes: who trained it where, with what, for how long, and its agreement check. */
export function peerNotes(p: PeerRun): string {
  const steps = p.config.train.steps;
  const parts = [
    `Trained by FlowLab's PyTorch peer (${p.peer}) on ${p.device} with torch ${p.torch} in ${Math.round(p.trainSeconds * 10) / 10} s (${p.stepsDone} of ${steps} steps) and imported into FlowLab ${VERSION}.`,
  ];
  if (!p.moments) parts.push("The peer did not record Adam's moments: the checkpoint holds none, so the run cannot be resumed.");
  if (p.check) parts.push(`The peer's agreement check with FlowLab: ${Object.entries(p.check).map(([k, v]) => `${k} ${figure(v)}`).join(', ')}.`);
  return parts.join(' ');
}

export interface ImportPeerRunOptions {
  store: Store;
  /** The folder the PyTorch peer wrote (see the file comment). */
  peerDir: string;
  /** The run's name (default: the config's name, else its dataset and interpolant, marked as the peer's). */
  name?: string;
  /** Final images drawn for the gallery (default FINAL_SAMPLE_IMAGES; 0: none). */
  samples?: number;
  onNote?: (message: string) => void;
}

/**
 * Records the peer's run (all of it or, on bad input or a failed write, nothing), then draws its
 * final gallery as a finished training does (service/runTraining.ts): samples are a view of the
 * run, so a failed draw is a note, not a failed import.
 */
export async function importPeerRun(o: ImportPeerRunOptions): Promise<RunRecord> {
  const p = await readPeerRun(o.peerDir);
  const { config, stepsDone } = p;
  const complete = stepsDone === config.train.steps;
  const net = netSpec(config, p.shape);
  const lastStep = stepsDone - 1;
  // the wall-time axis ends at the whole training's seconds (a resumed training goes on from there)
  const wall = p.wall.at(-1)?.[0] === stepsDone ? p.wall : [...p.wall, [stepsDone, Math.max(p.trainSeconds, p.wall.at(-1)?.[1] ?? 0)] as [number, number]];
  let min = Infinity;
  for (const l of p.losses) min = Math.min(min, l);
  const stopped = `stopped by the PyTorch peer after ${stepsDone} of ${config.train.steps} steps; ${p.moments
    ? "resuming continues in FlowLab from its parameters, EMA and Adam's moments, with FlowLab's own random draws"
    : "the peer did not record Adam's moments, so it cannot be resumed"}`;

  const run = o.store.transaction(() => {
    const created = o.store.createRun({
      name: o.name?.trim() || config.name?.trim() || `${runName(config)} · PyTorch peer`,
      config,
      seed: config.train.seed,
      dataset: config.dataset,
      interpolant: config.interpolant,
      // free text (the runs table shows it as is): where it really trained, not an ONNX Runtime provider
      backend: peerBackend(p.device),
      onnxruntimeVersion: null,
      tags: [PEER_TAG],
      notes: peerNotes(p),
    });
    o.store.saveCheckpoint(created.id, {
      step: stepsDone,
      loss: p.losses[lastStep],
      params: p.params,
      ema: p.ema,
      // Adam's moments only as the peer recorded them. Without them the checkpoint holds none
      // (as an imported pretrained model's does), not zeros: zeros would claim a state Adam never
      // had, and a resume from them would restart its averages from nothing at step N, where the
      // bias correction no longer scales them up (first updates near lr sign(g) per parameter).
      // Resume refuses a checkpoint without moments (service/train.ts), so such a run stays as
      // imported: completed, or stopped with a reason saying it cannot go on.
      optimizer: p.moments,
      // FlowLab's training keys every draw by (seed, step); the peer drew from torch's generator
      rngState: { seed: config.train.seed, step: stepsDone, generator: 'torch' },
      extra: { dim: net.dim, shape: p.shape, peer: { script: p.peer, device: p.device, torch: p.torch, ...(p.check ? { check: p.check } : {}) } },
    });
    o.store.appendMetricRun(created.id, 'loss', 0, p.losses);
    o.store.appendMetricRun(created.id, 'grad_norm', 0, p.gradNorms);
    // as a FlowLab training records it: at the index of the last step done (service/train.ts)
    o.store.appendMetrics(created.id, wall.map(([steps, value]) => ({ name: 'wall_s', step: steps - 1, value })));
    o.store.recordProgress(created.id, stepsDone, p.losses[lastStep], min);
    // never marked running here, so finishRun accrues nothing: the training time is the peer's
    o.store.updateRun(created.id, { durationS: p.trainSeconds });
    return complete ? o.store.finishRun(created.id, 'completed') : o.store.finishRun(created.id, 'stopped', stopped);
  });

  const n = o.samples ?? FINAL_SAMPLE_IMAGES;
  if (n > 0) {
    try {
      await sampleRun({ store: o.store, runId: run.id, n });
    } catch (e) {
      o.onNote?.(`run ${run.id} is recorded, but its final samples could not be drawn: ${(e as Error).message}`);
    }
  }
  return o.store.getRun(run.id);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, peer: { type: 'string' }, name: { type: 'string' }, samples: { type: 'string' } },
  });
  if (!values['data-dir'] || !values.peer) throw new Error('--data-dir DIR and --peer PEER_DIR are required');
  const samples = values.samples === undefined ? undefined : Number(values.samples);
  if (samples !== undefined && !(Number.isInteger(samples) && samples >= 0)) throw new Error(`--samples must be a whole number >= 0, got '${values.samples}'`);
  const store = openStore(values['data-dir']);
  try {
    const run = await importPeerRun({ store, peerDir: values.peer, name: values.name, samples, onNote: (m) => process.stderr.write(`${m}\n`) });
    process.stdout.write(`${run.id}\n`);
  } finally {
    store.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // bad input is one line, not a stack
  main().catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
