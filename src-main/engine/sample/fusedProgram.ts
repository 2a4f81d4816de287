/**
 * Fixed-step ODE solvers fused into one ONNX Loop over the velocity net (dx/dt = v(t, x)):
 *   euler: x += h k1
 *   heun:  x += h/2 (k1 + k2),                k2 = v(t + h, x + h k1)
 *   rk4:   x += h/6 (k1 + 2 k2 + 2 k3 + k4),  k2 = v(t + h/2, x + h/2 k1), k3 = v(t + h/2, x + h/2 k2), k4 = v(t + h, x + h k3)
 * Inputs: params [P], x [n, d], t0 and h (float32 scalars; h < 0 integrates backward), steps
 * (int64). Outputs: x_out [n, d], and with snapshots every state after each step, traj [steps, n, d].
 */
import type { FixedMethod } from './fixedSteppers.js';
import { Graph, type Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { serializeModel } from '../onnx/serialize.js';
import { mlpVelocity, paramLayout, unpackParams, type MlpSpec } from '../nets/mlp.js';

/** Velocity-net evaluations per step. */
export const STAGES: Record<FixedMethod, number> = { euler: 1, heun: 2, rk4: 4 };

export interface FixedProgramSpec {
  net: MlpSpec;
  method: FixedMethod;
  /** Rows per call (static: lets ONNX Runtime plan memory once). */
  n: number;
  snapshots: boolean;
}

export function buildFixedSolverGraph(spec: FixedProgramSpec): Graph {
  const { net, n } = spec;
  const g = new Graph('solve');
  const params = g.input('params', 'float32', [paramLayout(net).total]);
  const x0 = g.input('x', 'float32', [n, net.dim]);
  const t0 = g.input('t0', 'float32', []);
  const h = g.input('h', 'float32', []);
  const steps = g.input('steps', 'int64', []);
  const layers = unpackParams(net, params);
  const f = (t: Value, x: Value) => mlpVelocity(net, layers, x, op.expand(op.reshape(t, [1, 1]), [n, 1]));

  const result = op.loop(g, steps, [x0], ({ iter, carried: [x] }) => {
    const t = op.add(t0, op.mul(op.cast(iter, 'float32'), h));
    const half = op.mul(h, 0.5);
    let next: Value;
    if (spec.method === 'euler') {
      next = op.add(x, op.mul(f(t, x), h));
    } else if (spec.method === 'heun') {
      const k1 = f(t, x);
      const k2 = f(op.add(t, h), op.add(x, op.mul(k1, h)));
      next = op.add(x, op.mul(op.add(k1, k2), half));
    } else {
      const tm = op.add(t, half);
      const k1 = f(t, x);
      const k2 = f(tm, op.add(x, op.mul(k1, half)));
      const k3 = f(tm, op.add(x, op.mul(k2, half)));
      const k4 = f(op.add(t, h), op.add(x, op.mul(k3, h)));
      const sum = op.add(op.add(k1, k4), op.mul(op.add(k2, k3), 2));
      next = op.add(x, op.mul(sum, op.div(h, 6)));
    }
    return { carried: [next], scans: spec.snapshots ? [next] : [] };
  });
  const outs: Record<string, Value> = { x_out: result.final[0] };
  if (spec.snapshots) outs.traj = result.scans[0];
  return g.setNamedOutputs(outs);
}

export function buildFixedSolverProgram(spec: FixedProgramSpec): Uint8Array {
  return serializeModel(buildFixedSolverGraph(spec));
}
