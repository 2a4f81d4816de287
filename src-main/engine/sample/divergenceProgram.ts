/**
 * The `divergence` program: v(t, x) and div_x v(t, x) of the velocity net for a batch of n rows,
 * by vector-Jacobian products (reverse mode through the net):
 *   exact:       div v = sum_i e_i^T (dv/dx) e_i, all d basis vectors in one batched product
 *                over d copies of the batch ([d n, d] rows);
 *   Hutchinson:  div v ~ (1/K) sum_k e_k^T (dv/dx) e_k with K probe vectors given as input
 *                (Rademacher or Gaussian), one batched product over K copies; the per-probe
 *                estimates come back too, for standard errors.
 * Inputs: params [P], x [n, d], t (float32 scalar); Hutchinson also probes [K, n, d].
 * Outputs: v [n, d], div [n]; Hutchinson also div_probes [K, n]; exact with `jacobian` also
 * jac [n, d, d], jac[i][k][j] = dv_k/dx_j at point i (the d products are its rows).
 */
import { vjp } from '../onnx/autodiff.js';
import { Graph, type Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { serializeModel } from '../onnx/serialize.js';
import { netDim, netField, netParamCount, type NetSpec } from '../nets/velocityNet.js';

export interface DivergenceProgramSpec {
  net: NetSpec;
  n: number;
  /** 0: exact divergence; K > 0: Hutchinson with K probes. */
  probes: number;
  /** Also output the whole Jacobian (exact only). */
  jacobian?: boolean;
}

export function buildDivergenceGraph(spec: DivergenceProgramSpec): Graph {
  const { net, n } = spec;
  const d = netDim(net);
  if (spec.jacobian && spec.probes > 0) throw new Error('the Jacobian output needs the exact divergence (probes 0)');
  const g = new Graph('divergence');
  const params = g.input('params', 'float32', [netParamCount(net)]);
  const x = g.input('x', 'float32', [n, d]);
  const t = g.input('t', 'float32', []);
  const copies = spec.probes > 0 ? spec.probes : d;
  const field = netField(net, params);

  // copies of the batch stacked: row c * n + i is point i
  const xs = op.reshape(op.expand(op.unsqueeze(x, [0]), [copies, n, d]), [copies * n, d]);
  const ts = op.expand(op.reshape(t, [1, 1]), [copies * n, 1]);
  const vs = field(xs, ts);

  let cot: Value;
  if (spec.probes > 0) {
    cot = op.reshape(g.input('probes', 'float32', [copies, n, d]), [copies * n, d]);
  } else {
    const eye = new Float32Array(d * d);
    for (let i = 0; i < d; i++) eye[i * d + i] = 1;
    cot = op.reshape(op.expand(g.constant(eye, 'float32', [d, 1, d]), [d, n, d]), [d * n, d]);
  }
  const [rows] = vjp([vs], [cot], [xs]);
  const perCopy = op.reshape(op.reduceSum(op.mul(rows, cot), [1]), [copies, n]);
  const outs: Record<string, Value> = {
    v: op.slice(vs, [0], [n], [0]),
    div: spec.probes > 0 ? op.reduceMean(perCopy, [0]) : op.reduceSum(perCopy, [0]),
  };
  if (spec.probes > 0) outs.div_probes = perCopy;
  // row c * n + i of the products is e_c^T (dv/dx) at point i: row c of its Jacobian
  if (spec.jacobian) outs.jac = op.transpose(op.reshape(rows, [d, n, d]), [1, 0, 2]);
  return g.setNamedOutputs(outs);
}

export function buildDivergenceProgram(spec: DivergenceProgramSpec): Uint8Array {
  return serializeModel(buildDivergenceGraph(spec));
}
