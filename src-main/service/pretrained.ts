/**
 * Pretrained velocity nets shipped in `models/` (<name>.onnx, the exported model, and
 * <name>.json, its manifest: how it was trained and what it measured), so a new user samples and
 * explores at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { recordedConfig } from '../api/config.js';
import { netParamCount, netSlots } from '../engine/nets/velocityNet.js';
import { readModel } from '../engine/onnx/protoRead.js';
import type { RunRecord, Store } from '../store/index.js';
import { netSpec } from './runModel.js';
import { fromPixelLevels, type ShippedCurves, type ShippedImageSamples, type ShippedSamples } from './pretrainedHistory.js';

export interface PretrainedManifest {
  name: string;
  title: string;
  description: string;
  dataset: string;
  interpolant: string;
  dim: number;
  /** One sample's shape: [C, H, W] for an image model; absent for points ([dim]). */
  shape?: number[];
  tMax: number;
  config: unknown;
  training: { steps: number; seconds: number; stepsPerSec: number; backend: string; flowlabVersion: string; date: string };
  metrics: Record<string, number>;
  /** Figures that are lists (api/metricInfo.ts LIST_INFO), e.g. an image model's class histogram. */
  lists?: Record<string, (number | null)[]>;
  /** When `metrics` were measured (ISO time); older manifests have only training.date. */
  evaluatedAt?: string;
  /** The training curves, downsampled; absent in manifests built before they were shipped. */
  curves?: ShippedCurves;
  /** A few of the model's samples, drawn when it was built (images as pixel levels). */
  samples?: ShippedSamples | ShippedImageSamples;
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

/**
 * The velocity nets in models/. A flow's manifest carries the config it was trained with; other
 * models shipped there (the digit classifier behind the image metrics) do not, and are no runs.
 */
export function listPretrained(dir = modelsDir()): PretrainedManifest[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && existsSync(join(dir, f.replace(/\.json$/, '.onnx'))))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as PretrainedManifest)
    .filter((m) => typeof m.config === 'object' && m.config !== null);
}

export function getPretrained(name: string, dir = modelsDir()): PretrainedManifest {
  const m = listPretrained(dir).find((p) => p.name === name);
  if (!m) throw new UserError(`no pretrained model '${name}'; available: ${listPretrained(dir).map((p) => p.name).join(', ') || 'none'}`);
  return m;
}

/**
 * Imports a pretrained model as a completed run (tagged 'pretrained'): its weights become the
 * run's checkpoint, its manifest metrics an evaluation, so sampling, the time slider, evaluation,
 * export and comparison work on it as on any run. Importing the same model again reuses the run.
 */
export function importPretrained(store: Store, name: string, dir = modelsDir()): RunRecord {
  const m = getPretrained(name, dir);
  const existing = store.listRuns({ tag: PRETRAINED_TAG }).find((r) => r.name === runName(m));
  if (existing) return existing;
  const config = recordedConfig(m.config);
  const shape = manifestShape(m);
  const net = netSpec(config, shape);
  const model = readModel(readFileSync(join(dir, `${m.name}.onnx`)));
  const [slots, total] = [netSlots(net), netParamCount(net)];
  const params = new Float32Array(total);
  for (const s of slots) {
    const t = model.initializers.get(s.name);
    if (!t || t.data.length !== s.size) {
      throw new UserError(`models/${m.name}.onnx does not hold the ${s.name} weights its manifest describes; rebuild it with scripts/buildPretrained.ts`);
    }
    params.set(t.data, s.offset);
  }
  return store.transaction(() => {
    const run = store.createRun({
      name: runName(m),
      config,
      seed: config.train.seed,
      dataset: m.dataset,
      interpolant: m.interpolant,
      backend: m.training.backend,
      tags: [PRETRAINED_TAG],
      notes: m.description,
    });
    store.saveCheckpoint(run.id, { step: m.training.steps, params, ema: params, rngState: null, extra: { dim: m.dim, shape, pretrained: m.name } });
    recordHistory(store, run.id, m);
    store.updateRun(run.id, { stepsDone: m.training.steps, durationS: m.training.seconds });
    const lists = Object.fromEntries(Object.entries(m.lists ?? {}).map(([k, v]) => [k, JSON.stringify(v)]));
    store.saveEvaluation(run.id, { source: `models/${m.name}.json` }, { ...m.metrics, ...lists }, m.evaluatedAt ?? m.training.date);
    return store.finishRun(run.id, 'completed');
  });
}

export const PRETRAINED_TAG = 'pretrained';

/** The shipped curves become the run's metric series, the shipped samples its final samples. */
function recordHistory(store: Store, runId: string, m: PretrainedManifest): void {
  if (m.curves) {
    const rows = [];
    for (const [name, values] of Object.entries(m.curves.series)) {
      for (let i = 0; i < values.length; i++) rows.push({ name, step: m.curves.step[i], value: values[i] });
    }
    store.appendMetrics(runId, rows);
  }
  const s = m.samples;
  if (s && 'pixels' in s) {
    const d = s.shape.reduce((a, b) => a * b, 1);
    if (s.pixels.length !== s.n * d) throw new UserError(`models/${m.name}.json: samples.pixels holds ${s.pixels.length} levels, expected n * C * H * W = ${s.n * d}`);
    store.saveSamples(runId, { kind: 'final', n: s.n, d, data: fromPixelLevels(s.pixels), meta: { solver: s.solver, steps: s.steps, ...(s.sdeEps !== undefined ? { sdeEps: s.sdeEps } : {}), seed: s.seed, step: m.training.steps, source: `models/${m.name}.json` } });
  } else if (s) {
    store.saveSamples(runId, { kind: 'final', n: s.n, d: s.d, data: Float32Array.from(s.data), meta: { solver: s.solver, steps: s.steps, step: m.training.steps, source: `models/${m.name}.json` } });
  }
}

/** One sample's shape from a manifest: its `shape` (images), else [dim]; checked against dim. */
function manifestShape(m: PretrainedManifest): number[] {
  if (m.shape === undefined) return [m.dim];
  if (!Array.isArray(m.shape) || !m.shape.every((k) => Number.isInteger(k) && k >= 1) || m.shape.reduce((a, b) => a * b, 1) !== m.dim) {
    throw new UserError(`models/${m.name}.json: shape ${JSON.stringify(m.shape)} must be whole numbers whose product is dim = ${m.dim}`);
  }
  return m.shape;
}

function runName(m: PretrainedManifest): string {
  return `Pretrained: ${m.title}`;
}
