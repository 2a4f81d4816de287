/**
 * Forward and forward+backward time of a U-Net velocity net on ONNX Runtime's CPU provider:
 * loss = mean((v(t, x) - target)^2) and its gradient with respect to the flat parameters, as the
 * training step differentiates it (no optimizer update). Median of `reps` runs after a warm-up.
 *
 * usage: node --import tsx bench/flowlab/unetStep.ts [--threads 2] [--batch 64] [--reps 5]
 * prints one JSON line: { spec, params, batch, threads, forward_ms, forward_backward_ms, gflops_fwd }
 */
import { grad } from '../../src-main/engine/onnx/autodiff.js';
import { Graph } from '../../src-main/engine/onnx/graph.js';
import * as op from '../../src-main/engine/onnx/ops/index.js';
import { createSession, ort } from '../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../src-main/engine/onnx/serialize.js';
import { unetForwardFlopsPerSample, unetInitParams, unetParamLayout, unetUnpackParams, unetVelocity, type UnetSpec } from '../../src-main/engine/nets/unet.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

/** MNIST-sized: 1x28x28, 32 base channels, levels at 28, 14 and 7 pixels, attention at 7x7. */
const spec: UnetSpec = { channels: 1, height: 28, width: 28, baseChannels: 32, channelMults: [1, 2, 2], blocksPerLevel: 1, attention: true, timeFrequencies: 4 };

async function time(backward: boolean, batch: number, threads: number, reps: number): Promise<number> {
  const g = new Graph('unet_step');
  const { total } = unetParamLayout(spec);
  const flat = g.input('params', 'float32', [total]);
  const x = g.input('x', 'float32', [batch, 1, 28, 28]);
  const t = g.input('t', 'float32', [batch, 1]);
  const params = unetUnpackParams(spec, flat);
  const v = unetVelocity(spec, params, x, t);
  const loss = op.reduceMean(op.square(op.sub(v, x)));
  // Gradients per tensor, concatenated in layout order (as the training program flattens the
  // MLP's): differentiating through the unpacking Slices would pad each to the full vector.
  const flatGrad = () => op.concat(grad(loss, [...params.values()]).map((gv) => op.reshape(gv, [-1])), 0);
  g.setNamedOutputs(backward ? { loss, g: flatGrad() } : { loss });
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads });
  const feeds = {
    params: new ort.Tensor('float32', unetInitParams(spec, 1), [total]),
    x: new ort.Tensor('float32', Float32Array.from({ length: batch * 784 }, (_, i) => Math.sin(i)), [batch, 1, 28, 28]),
    t: new ort.Tensor('float32', Float32Array.from({ length: batch }, (_, i) => i / batch), [batch, 1]),
  };
  await session.run(feeds);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

async function main(): Promise<void> {
  const threads = arg('threads', 2);
  const batch = arg('batch', 64);
  const reps = arg('reps', 5);
  const fwd = await time(false, batch, threads, reps);
  const both = await time(true, batch, threads, reps);
  const flops = unetForwardFlopsPerSample(spec) * batch;
  process.stdout.write(
    JSON.stringify({ spec, params: unetParamLayout(spec).total, batch, threads, forward_ms: fwd, forward_backward_ms: both, gflops_fwd: flops / 1e9, fwd_gflops_per_s: flops / 1e6 / fwd }) + '\n',
  );
}

void main();
