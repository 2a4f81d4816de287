/**
 * Fixed-step ODE solvers fused into one ONNX Loop over a velocity field (dx/dt = v(t, x)): each
 * trip is one `rkStep` of the method's Butcher tableau (rungeKutta.ts) written as graph ops,
 *   k_s = v(t + c_s h, x + h sum_{j<s} a_sj k_j),  x_next = x + h sum_s b_s k_s,  t = t0 + iter h.
 * Inputs: params [P] (the net's), x [n, d], t0 and h (float32 scalars; h < 0 integrates
 * backward), steps (int64). Outputs: x_out [n, d], and with snapshots every state after each
 * step, traj [steps, n, d].
 */
import { graphAlgebra } from '../interpolants/algebra.js';
import { Graph, type Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { serializeModel } from '../onnx/serialize.js';
import { netDim, netField, netParamCount, type NetSpec } from '../nets/velocityNet.js';
import { RK_METHODS, rkStep, type FixedMethod, type StepWorld } from './rungeKutta.js';

/** A field v(t, x) as graph code: t a float32 scalar, x [n, d]. */
export type GraphField = (t: Value, x: Value) => Value;

export interface FusedSolverSpec {
  method: FixedMethod;
  /** Rows per call (static: lets ONNX Runtime plan memory once). */
  n: number;
  dim: number;
  snapshots: boolean;
}

export interface FixedProgramSpec {
  net: NetSpec;
  method: FixedMethod;
  n: number;
  snapshots: boolean;
}

/** The graph world of `rkStep`: states are [n, d] values, x + sum_j w_j k_j sums the terms first. */
export function graphWorld(h: Value, field: GraphField): StepWorld<Value, Value> {
  return {
    time: graphAlgebra(h),
    combine: (x, terms) => op.add(x, terms.map(([w, k]) => op.mul(k, w)).reduce((acc, term) => op.add(acc, term))),
    field,
  };
}

/**
 * The solver program over any field. `makeField` runs first, on the program's graph, so it can
 * declare its own inputs (a net's params) ahead of x, t0, h and steps; the field it returns is
 * called inside the Loop body.
 */
export function buildFusedSolverGraph(spec: FusedSolverSpec, makeField: (g: Graph) => GraphField): Graph {
  const g = new Graph('solve');
  const field = makeField(g);
  const x0 = g.input('x', 'float32', [spec.n, spec.dim]);
  const t0 = g.input('t0', 'float32', []);
  const h = g.input('h', 'float32', []);
  const steps = g.input('steps', 'int64', []);
  const world = graphWorld(h, field);
  const tableau = RK_METHODS[spec.method];

  const result = op.loop(g, steps, [x0], ({ iter, carried: [x] }) => {
    const t = op.add(t0, op.mul(op.cast(iter, 'float32'), h));
    const next = rkStep(world, tableau, t, h, x);
    return { carried: [next], scans: spec.snapshots ? [next] : [] };
  });
  const outs: Record<string, Value> = { x_out: result.final[0] };
  if (spec.snapshots) outs.traj = result.scans[0];
  return g.setNamedOutputs(outs);
}

/** The solver program over a velocity net whose flat weights come in as `params`. */
export function buildFixedSolverGraph(spec: FixedProgramSpec): Graph {
  const { net, n } = spec;
  return buildFusedSolverGraph({ method: spec.method, n, dim: netDim(net), snapshots: spec.snapshots }, (g) => {
    const field = netField(net, g.input('params', 'float32', [netParamCount(net)]));
    return (t, x) => field(x, op.expand(op.reshape(t, [1, 1]), [n, 1]));
  });
}

export function buildFixedSolverProgram(spec: FixedProgramSpec): Uint8Array {
  return serializeModel(buildFixedSolverGraph(spec));
}
