/**
 * FlowLab's side of the image time-to-quality race (unetTtq.ts): the service's image training
 * (ImageTrainSession on the run's own training split) of the experiment in --config, for a budget
 * of training seconds; at each snapshot time the EMA net generates --samples digits with rk4 in
 * --sample-steps steps (as `flowlab sample` does: NetSampler from N(0, I) base draws), written to
 * OUT/flowlab-<seconds>s.npy (NPY float32 [n, 1, 28, 28], pixel scale [0, 1]). Sampling time is not
 * training time. The first step (the session's warm-up) is not timed, as on the peer's side.
 *
 * usage: node --import tsx bench/flowlab/unetTrainTimed.ts --config C.json --budget 1200 --snapshots 300,600,1200 --out DIR [--threads 1]
 * prints {"ready": true}, then one JSON line per snapshot, then {"done": true, ..., "snapshots": [...]}.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../src-main/api/config.js';
import { toUnitScale, writeImagesNpy } from '../../src-main/engine/data/images/index.js';
import { getInterpolant } from '../../src-main/engine/interpolants/schedules.js';
import { netDim } from '../../src-main/engine/nets/velocityNet.js';
import { Rng } from '../../src-main/engine/random.js';
import { NetSampler } from '../../src-main/engine/sample/netSampler.js';
import { ImageTrainSession, initialImageState } from '../../src-main/engine/train/imageTrainSession.js';
import { loadImageRunData } from '../../src-main/service/imageRunData.js';
import { emit, fail, parseArgs } from './common.js';
import { mnistNet } from './unetRecipe.js';

/** Stream of the snapshots' base draws. */
const SNAPSHOT_STREAM = 0x54545153; // "TTQS"

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { config: '', budget: '', snapshots: '', out: '', threads: '1', samples: '1000', 'sample-steps': '20' });
  if (!a.config || !a.budget || !a.out) throw new Error('--config, --budget and --out are required');
  const config = JSON.parse(readFileSync(a.config, 'utf8')) as ExperimentConfig;
  config.threads = Number(a.threads);
  const budget = Number(a.budget);
  const marks = a.snapshots.split(',').filter((s) => s.trim()).map(Number).sort((x, y) => x - y);
  if (!(budget > 0) || marks.some((m) => !(m > 0))) throw new Error(`--budget and --snapshots must be positive seconds, got ${a.budget} and ${a.snapshots}`);
  const samples = Number(a.samples);
  const sampleSteps = Number(a['sample-steps']);
  mkdirSync(a.out, { recursive: true });

  const net = mnistNet(config);
  const data = await loadImageRunData(config);
  const interpolant = getInterpolant(config.interpolant);
  const session = await ImageTrainSession.create({ config, net, interpolant, images: data.train, state: initialImageState(net, config.train.seed), backend: 'cpu', threads: config.threads });
  const losses: number[] = [];
  const step = async () => losses.push((await session.advance(1)).losses[0]);
  await step();
  emit({ ready: true, images: data.train.n });
  let trained = 0;
  const shots: Record<string, unknown>[] = [];
  try {
    for (const mark of [...marks, ...(marks.length === 0 || marks[marks.length - 1] < budget ? [budget] : [])]) {
      while (trained < mark) {
        const t0 = performance.now();
        await step();
        trained += (performance.now() - t0) / 1000;
      }
      if (!marks.includes(mark)) break;
      const t0 = performance.now();
      const D = netDim(net);
      const x0 = new Rng(config.train.seed, SNAPSHOT_STREAM, mark).fillNormal(new Float32Array(samples * D)) as Float32Array;
      const sampler = new NetSampler(net, session.state.ema, 'cpu', config.threads);
      let x: Float32Array;
      try {
        x = (await sampler.solve(x0, samples, { solver: 'rk4', steps: sampleSteps, t0: 0, t1: interpolant.tMax })).x;
      } finally {
        await sampler.release();
      }
      const path = join(a.out, `flowlab-${mark}s.npy`);
      writeImagesNpy(path, toUnitScale(x), [samples, 1, 28, 28]);
      const recent = losses.slice(-50);
      const shot = { seconds: mark, trained_s: +trained.toFixed(2), steps: session.state.step, loss: recent.reduce((s, v) => s + v, 0) / recent.length, sample_s: +((performance.now() - t0) / 1000).toFixed(2), samples: path };
      shots.push(shot);
      emit({ snapshot: shot });
    }
    emit({ done: true, steps: session.state.step, trained_s: +trained.toFixed(2), snapshots: shots });
  } finally {
    await session.release();
  }
}

main().catch(fail);
