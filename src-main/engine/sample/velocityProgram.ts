/**
 * The `velocity` program: v(t, x) of a velocity net for a batch of any size.
 *   inputs: x [N, d], t as [N, 1], [N] or a scalar (and params [P] unless the weights are baked in)
 *   output: v [N, d]
 * t's input declares no shape (torchcfm and most Python code pass a scalar t or a [N] vector);
 * the graph reshapes it to a column and expands it to [N, 1].
 * With baked weights (named initializers w0, b0, ...) and metadata it is FlowLab's export format:
 * a plain ONNX model any onnxruntime runs.
 */
import { Graph, type Value } from '../onnx/graph.js';
import { serializeModel } from '../onnx/serialize.js';
import { mlpVelocity, paramLayout, unpackParams, type MlpSpec } from '../nets/mlp.js';
import { expand, reshape, slice } from '../onnx/ops/shape.js';
import { VERSION } from '../../version.js';

export function buildVelocityGraph(net: MlpSpec, weights?: Float32Array): Graph {
  const g = new Graph('velocity');
  const x = g.input('x', 'float32', ['N', net.dim]);
  const tAnyRank = g.input('t', 'float32', ['T'], { rankFree: true });
  const t = expand(reshape(tAnyRank, [-1, 1]), slice(x, [0], [1], [1]));
  let layers: Value[];
  if (weights) {
    const { slots, total } = paramLayout(net);
    if (weights.length !== total) throw new Error(`weights have ${weights.length} values, the net needs ${total}`);
    layers = slots.map((s) => g.constant(weights.slice(s.offset, s.offset + s.size), 'float32', s.shape, s.name));
  } else {
    layers = unpackParams(net, g.input('params', 'float32', [paramLayout(net).total]));
  }
  return g.setNamedOutputs({ v: mlpVelocity(net, layers, x, t) });
}

export function buildVelocityProgram(net: MlpSpec): Uint8Array {
  return serializeModel(buildVelocityGraph(net));
}

/** The exported model: weights baked in, the run's description in the metadata. */
export function exportVelocityModel(net: MlpSpec, weights: Float32Array, metadata: Record<string, string>): Uint8Array {
  return serializeModel(buildVelocityGraph(net, weights), {
    producerVersion: VERSION,
    docString: 'FlowLab velocity net v(t, x): inputs x [N, d] and t ([N, 1], [N] or a scalar), output v [N, d]. Integrate dx/dt = v from t = 0 (base) to t = t_max (data; t_max is in the metadata: 1, or just below 1 for the VP schedule, whose a\'(t) is singular at 1).',
    metadata,
  });
}
