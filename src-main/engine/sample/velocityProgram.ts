/**
 * The `velocity` program: v(t, x) of a velocity net for a batch of any size.
 *   inputs: x [N, d], t as [N, 1], [N] or a scalar (and params [P] unless the weights are baked in)
 *   output: v [N, d]
 * t's input declares no shape (torchcfm and most Python code pass a scalar t or a [N] vector);
 * the graph reshapes it to a column and expands it to [N, 1].
 * The exported model of an image net takes and gives images, x and v [N, C, H, W]; the
 * program the engine runs takes flat rows [N, D] like every other.
 * With baked weights (named initializers w0, b0, ...) and metadata it is FlowLab's export format:
 * a plain ONNX model any onnxruntime runs.
 */
import { Graph } from '../onnx/graph.js';
import { serializeModel } from '../onnx/serialize.js';
import * as op from '../onnx/ops/index.js';
import { isUnet, netDim, netField, netFieldFromSlots, netParamCount, netSlots, sampleShape, type NetSpec } from '../nets/velocityNet.js';
import { VERSION } from '../../version.js';

export function buildVelocityGraph(net: NetSpec, weights?: Float32Array): Graph {
  const g = new Graph('velocity');
  // an exported image net speaks images; the engine's own program flat rows
  const asImages = !!weights && isUnet(net);
  const x = g.input('x', 'float32', asImages ? ['N', ...sampleShape(net)] : ['N', netDim(net)]);
  const rows = asImages ? op.reshape(x, [-1, netDim(net)]) : x;
  const tAnyRank = g.input('t', 'float32', ['T'], { rankFree: true });
  const t = op.expand(op.reshape(tAnyRank, [-1, 1]), op.slice(rows, [0], [1], [1]));
  let field;
  if (weights) {
    const total = netParamCount(net);
    if (weights.length !== total) throw new Error(`weights have ${weights.length} values, the net needs ${total}`);
    field = netFieldFromSlots(net, netSlots(net).map((s) => g.constant(weights.slice(s.offset, s.offset + s.size), 'float32', [...s.shape], s.name)));
  } else {
    field = netField(net, g.input('params', 'float32', [netParamCount(net)]));
  }
  const v = field(rows, t);
  return g.setNamedOutputs({ v: asImages ? op.reshape(v, [-1, ...sampleShape(net)]) : v });
}

export function buildVelocityProgram(net: NetSpec): Uint8Array {
  return serializeModel(buildVelocityGraph(net));
}

/** The exported model: weights baked in, the run's description in the metadata. */
export function exportVelocityModel(net: NetSpec, weights: Float32Array, metadata: Record<string, string>): Uint8Array {
  return serializeModel(buildVelocityGraph(net, weights), {
    producerVersion: VERSION,
    docString: 'FlowLab velocity net v(t, x): inputs x [N, d] (images: [N, C, H, W]) and t ([N, 1], [N] or a scalar), output v of x\'s shape. Integrate dx/dt = v from t = 0 (base) to t = t_max (data; t_max is in the metadata: 1, or just below 1 for the VP schedule, whose a\'(t) is singular at 1).',
    metadata,
  });
}
