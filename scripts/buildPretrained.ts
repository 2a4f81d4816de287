/**
 * Trains the pretrained models shipped in models/ with the default experiment (the plain
 * `flowlab train --dataset NAME --seed 1`), measures them, and writes <name>.onnx + <name>.json.
 * Usage: node --import tsx scripts/buildPretrained.ts [name ...]   (default: checkerboard 8gaussians)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMlpConfig } from '../src-main/api/config.js';
import { getToy } from '../src-main/engine/data/index.js';
import { getInterpolant } from '../src-main/engine/interpolants/schedules.js';
import { openStore } from '../src-main/store/index.js';
import { trainRun } from '../src-main/service/train.js';
import { sampleRun } from '../src-main/service/sample.js';
import { evaluateRun } from '../src-main/service/evaluate.js';
import { velocityModelBytes } from '../src-main/service/export.js';
import { modelsDir, type PretrainedManifest } from '../src-main/service/pretrained.js';
import { downsampleCurves, round, SHIPPED_SAMPLES } from '../src-main/service/pretrainedHistory.js';
import { VERSION } from '../src-main/version.js';

const names = process.argv.slice(2).length ? process.argv.slice(2) : ['checkerboard', '8gaussians'];
const store = openStore(mkdtempSync(join(tmpdir(), 'flowlab-pretrained-')));
for (const name of names) {
  const config = defaultMlpConfig(name, 1);
  config.threads = 2;
  const toy = getToy(name);
  process.stderr.write(`training ${name}...\n`);
  const s = await trainRun({ store, config });
  const ev = await evaluateRun({ store, runId: s.runId, n: 2000 });
  const evaluatedAt = new Date().toISOString();
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(ev)) if (typeof v === 'number') metrics[k] = v;
  const r = await sampleRun({ store, runId: s.runId, n: 10000, solver: 'rk4', steps: 50, save: false });
  if (toy.logDensity) {
    const ld = toy.logDensity(r.x, r.n);
    metrics.inSupport = ld.filter((l) => l > -Infinity).length / r.n;
  }
  const series = Object.fromEntries(['loss', 'grad_norm', 'wall_s'].map((m) => [m, store.metricsSeries(s.runId, m)]));
  const manifest: PretrainedManifest = {
    name,
    title: `${toy.title} (pretrained)`,
    description: `${toy.description} Trained with FlowLab's default experiment: ${config.interpolant} interpolant from a standard Gaussian, MLP ${config.net.depth} x ${config.net.width} ${config.net.activation}, ${config.train.steps} Adam steps, batch ${config.train.batch}, seed 1.`,
    dataset: name,
    interpolant: config.interpolant,
    dim: 2,
    tMax: getInterpolant(config.interpolant).tMax,
    config,
    training: { steps: s.steps, seconds: s.seconds, stepsPerSec: s.stepsPerSec, backend: s.backend, flowlabVersion: VERSION, date: new Date().toISOString().slice(0, 10) },
    metrics,
    evaluatedAt,
    curves: downsampleCurves(series),
    samples: { n: SHIPPED_SAMPLES, d: r.d, data: Array.from(r.x.subarray(0, SHIPPED_SAMPLES * r.d), round), solver: 'rk4', steps: 50 },
  };
  writeFileSync(join(modelsDir(), `${name}.onnx`), velocityModelBytes(store, s.runId));
  writeFileSync(join(modelsDir(), `${name}.json`), JSON.stringify(manifest, null, 2) + '\n');
  process.stderr.write(`${name}: ${JSON.stringify(metrics)}\n`);
}
store.close();
