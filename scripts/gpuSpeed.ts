/**
 * FlowLab's side of BENCHMARKS.md's GPU speed table, on one machine: training steps/s of the
 * default MLP at each batch and of the default MNIST U-Net at its default batch, and sampling
 * throughput, on the CPU (all cores) and on a GPU backend; the MLP's training with each step runner
 * the backend can use (the Loop and unrolled pieces on the CPU; unrolled pieces with host-fed state
 * and with the state kept on the device on a GPU).
 *   node --import tsx scripts/gpuSpeed.ts --backend webgpu [--batches 1024,4096,16384] [--seconds 3]
 *     [--sample-n 65536] [--unet-sample-n 256] [--quick] [--out FILE]
 * Prints one JSON line per figure on stderr and the whole list as JSON on stdout (and to --out).
 * --quick: tiny sizes and short rounds, to test the script itself (on lavapipe, say).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultConfig, type ExperimentConfig } from '../src-main/api/config.js';
import { getToy } from '../src-main/engine/data/index.js';
import type { ImageDataset } from '../src-main/engine/data/images/index.js';
import { trig } from '../src-main/engine/interpolants/schedules.js';
import { netSpecFor } from '../src-main/engine/nets/velocityNet.js';
import { BACKEND_PREFERENCE, probeBackend, type Backend } from '../src-main/engine/onnx/runtime.js';
import { Rng } from '../src-main/engine/random.js';
import { NetSampler } from '../src-main/engine/sample/netSampler.js';
import { initialImageState, ImageTrainSession } from '../src-main/engine/train/imageTrainSession.js';
import { createMlpRunner } from '../src-main/engine/train/stepRunner.js';
import { initialState } from '../src-main/engine/train/trainSession.js';
import { mlpRunnersFor } from '../src-main/engine/calibration.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    batches: { type: 'string', default: '1024,4096,16384' },
    seconds: { type: 'string', default: '3' },
    'sample-n': { type: 'string', default: '65536' },
    'unet-sample-n': { type: 'string', default: '256' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const backend = values.backend as Backend;
if (!BACKEND_PREFERENCE.includes(backend) || backend === 'cpu') {
  console.error(`--backend must be a GPU backend (webgpu or cuda), got '${backend}'`);
  process.exit(2);
}
const unavailable = await probeBackend(backend);
if (unavailable) {
  console.log(JSON.stringify({ backend, available: false, reason: unavailable }));
  process.exit(2);
}
const quick = values.quick;
const seconds = quick ? 0.3 : Number(values.seconds);
const batches = quick ? [64, 128] : values.batches!.split(',').map(Number);
const sampleN = quick ? 512 : Number(values['sample-n']);
const unetSampleN = quick ? 4 : Number(values['unet-sample-n']);

export interface SpeedRow {
  engine: string;
  work: string;
  net: 'mlp' | 'unet';
  batch?: number;
  n?: number;
  value: number | null;
  unit: 'steps/s' | 'samples/s';
  missing?: string;
}
const rows: SpeedRow[] = [];
const record = (r: SpeedRow) => {
  rows.push(r);
  console.error(JSON.stringify(r));
};

/** Best rate over 3 rounds of at least `seconds` each, after one warm-up call; `call` returns the steps it ran. */
async function rate(call: () => Promise<number>): Promise<number> {
  await call();
  let best = 0;
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const t = performance.now();
    do n += await call();
    while (performance.now() - t < seconds * 1000);
    best = Math.max(best, n / ((performance.now() - t) / 1000));
  }
  return best;
}
async function measure(base: Omit<SpeedRow, 'value' | 'missing'>, f: () => Promise<number>): Promise<void> {
  try {
    record({ ...base, value: await f() });
  } catch (e) {
    record({ ...base, value: null, missing: (e as Error).message.split('\n')[0] });
  }
}

// The default MLP on the checkerboard.
const mlpConfig = (batch: number): ExperimentConfig => {
  const c = defaultConfig('checkerboard', 1);
  return { ...c, train: { ...c.train, batch } };
};
const net = { dim: 2, ...defaultConfig('checkerboard', 1).net } as const;
if (net.kind !== 'mlp') throw new Error('the default net is not an MLP');
const mlp = { ...net, dim: 2 };
const data = getToy('checkerboard').sample(100_000, 1);
const CALL = 10; // steps per call: a Loop of 10 on the CPU, one unrolled piece of 10 on a GPU
// Each step runner the backend can use (engine/train/stepRunner.ts): the Loop and unrolled pieces
// on the CPU, unrolled pieces with host-fed state and with the state kept on the device on a GPU.
for (const batch of batches) {
  for (const b of ['cpu', backend] as Backend[]) {
    for (const runner of mlpRunnersFor(b)) {
      await measure({ engine: `flowlab ${b}`, work: `train, ${runner} runner`, net: 'mlp', batch, unit: 'steps/s' }, async () => {
        const s = await createMlpRunner(runner, { config: mlpConfig(batch), net: mlp, interpolant: trig, data, state: initialState(mlp, 1), backend: b, threads: 0 });
        const r = await rate(async () => ((await s.advance(CALL)), CALL));
        await s.dispose();
        return r;
      });
    }
  }
}
const mlpParams = initialState(mlp, 1).params;
const x0 = new Rng(8).fillNormal(new Float32Array(sampleN * 2)) as Float32Array;
const rkSteps = quick ? 5 : 50;
for (const b of ['cpu', backend] as Backend[]) {
  await measure({ engine: b === 'cpu' ? 'flowlab cpu' : `flowlab ${b}`, work: `sample rk4-${rkSteps}`, net: 'mlp', n: sampleN, unit: 'samples/s' }, async () => {
    const smp = new NetSampler(mlp, mlpParams, b, 0);
    const r = await rate(async () => ((await smp.solve(x0, sampleN, { solver: 'rk4', steps: rkSteps, t0: 0, t1: 1 })), sampleN));
    await smp.release();
    return r;
  });
}

// The default MNIST U-Net at its default batch, on stand-in images (the rate does not depend on them).
const imgConfig = defaultConfig('mnist', 1);
if (quick) imgConfig.train = { ...imgConfig.train, batch: 2 };
const unet = netSpecFor(imgConfig.net, [1, 28, 28]);
const images: ImageDataset = { name: 'noise', source: 'generated', pixels: Uint8Array.from({ length: 256 * 784 }, (_, i) => (i * 2654435761) >>> 24), n: 256, c: 1, h: 28, w: 28 };
const eulerSteps = quick ? 2 : 20;
for (const b of ['cpu', backend] as Backend[]) {
  const engine = b === 'cpu' ? 'flowlab cpu' : `flowlab ${b}`;
  await measure({ engine, work: 'train', net: 'unet', batch: imgConfig.train.batch, unit: 'steps/s' }, async () => {
    const s = await ImageTrainSession.create({ config: imgConfig, net: unet, interpolant: trig, images, state: initialImageState(unet, 1), backend: b, threads: 0 });
    const r = await rate(async () => ((await s.advance(s.stepsPerCall)), s.stepsPerCall));
    await s.release();
    return r;
  });
  await measure({ engine, work: `sample euler-${eulerSteps}`, net: 'unet', n: unetSampleN, unit: 'samples/s' }, async () => {
    const smp = new NetSampler(unet, initialImageState(unet, 1).params, b, 0);
    const xi = new Rng(9).fillNormal(new Float32Array(unetSampleN * unet.dim)) as Float32Array;
    const r = await rate(async () => ((await smp.solve(xi, unetSampleN, { solver: 'euler', steps: eulerSteps, t0: 0, t1: 1 })), unetSampleN));
    await smp.release();
    return r;
  });
}

const unetPeerSpec = unet.kind === 'unet' ? { channels: unet.channels, height: unet.height, width: unet.width, base: unet.baseChannels, mults: unet.channelMults, blocks: unet.blocksPerLevel, attention: unet.attention, freqs: unet.timeFrequencies } : null;
const report = { backend, quick, unetBatch: imgConfig.train.batch, unetPeerSpec, rows };
console.log(JSON.stringify(report));
if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
