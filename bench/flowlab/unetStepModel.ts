/**
 * The U-Net step the U-Net benchmarks time: loss = mean((v(t, x) - x)^2) over batch and pixels,
 * and (with `backward`) its gradient for the flat parameters, as the training step
 * differentiates it (no optimizer update). Shared by unetStep.ts, unetProfile.ts and the peer
 * comparison, so all of them run the same program.
 */
import { grad } from '../../src-main/engine/onnx/autodiff.js';
import { Graph } from '../../src-main/engine/onnx/graph.js';
import * as op from '../../src-main/engine/onnx/ops/index.js';
import { ort } from '../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../src-main/engine/onnx/serialize.js';
import { unetInitParams, unetParamLayout, unetUnpackParams, unetVelocity, type UnetSpec } from '../../src-main/engine/nets/unet.js';

/** MNIST-sized: 1x28x28, 32 base channels, levels at 28, 14 and 7 pixels, attention at 7x7 (1,059,553 parameters). */
export const MNIST_UNET: UnetSpec = { channels: 1, height: 28, width: 28, baseChannels: 32, channelMults: [1, 2, 2], blocksPerLevel: 1, attention: true, timeFrequencies: 4 };

/** `block`: ONNX Runtime's CPU channel block for the blocked-layout Convs (cpuChannelBlock()), 0 for plain Convs. */
export function unetStepModel(spec: UnetSpec, batch: number, backward: boolean, block: number): Uint8Array {
  return op.withConvChannelBlock(block, () => stepGraph(spec, batch, backward));
}

function stepGraph(spec: UnetSpec, batch: number, backward: boolean): Uint8Array {
  const g = new Graph('unet_step');
  const { total } = unetParamLayout(spec);
  const flat = g.input('params', 'float32', [total]);
  const x = g.input('x', 'float32', [batch, spec.channels, spec.height, spec.width]);
  const t = g.input('t', 'float32', [batch, 1]);
  const params = unetUnpackParams(spec, flat);
  const v = unetVelocity(spec, params, x, t);
  const loss = op.reduceMean(op.square(op.sub(v, x)));
  // Gradients per tensor, concatenated in layout order (as the training program flattens the
  // MLP's): differentiating through the unpacking Slices would pad each to the full vector.
  const flatGrad = () => op.concat(grad(loss, [...params.values()]).map((gv) => op.reshape(gv, [-1])), 0);
  g.setNamedOutputs(backward ? { loss, g: flatGrad() } : { loss });
  return serializeModel(g);
}

/** Deterministic inputs: the seed-1 initialisation, x = sin(index), t spread over [0, 1). */
export function unetStepFeeds(spec: UnetSpec, batch: number): Record<string, ort.Tensor> {
  const { total } = unetParamLayout(spec);
  const pixels = spec.channels * spec.height * spec.width;
  return {
    params: new ort.Tensor('float32', unetInitParams(spec, 1), [total]),
    x: new ort.Tensor('float32', Float32Array.from({ length: batch * pixels }, (_, i) => Math.sin(i)), [batch, spec.channels, spec.height, spec.width]),
    t: new ort.Tensor('float32', Float32Array.from({ length: batch }, (_, i) => i / batch), [batch, 1]),
  };
}
