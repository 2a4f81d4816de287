/**
 * The SDE samplers of `sde.ts` fused into one ONNX Loop: trip k takes one `sdeStep` from
 * t = t0 + k h, with the drift v + eps(t) s (the score read off v, `score.ts`) and the step's
 * standard normals hashed in-graph from keys[k] by the counter-based generator, exactly the
 * normals `integrateSde` draws on the host for the same keys. A seed fixes every key
 * (`sdeKeys`), so it reproduces a sample set.
 *
 * Inputs: [the field's own, e.g. params [P]], x [n, d], t0, h, eps (float32 scalars; h > 0),
 *         steps (int64), keys [steps] (uint32).
 * Outputs: x_out [n, d]; with snapshots, traj [steps, n, d] (the state after each step).
 */
import { graphAlgebra } from '../interpolants/algebra.js';
import type { Interpolant } from '../interpolants/schedules.js';
import { Graph, type Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { hashBitsGraph, normalFromUniforms, uniformFromBits } from '../onnx/randomGraph.js';
import { serializeModel } from '../onnx/serialize.js';
import { netDim, netField, netParamCount, type NetSpec } from '../nets/velocityNet.js';
import { streamKey } from '../random.js';
import { graphWorld, type GraphField } from './fusedProgram.js';
import { diffusionAt, sdeCounter, sdeDrift, sdeStep, SDE_STREAM, stepNoiseScale, type SdeMethod } from './sde.js';

export interface SdeProgramSpec {
  method: SdeMethod;
  interpolant: Interpolant;
  /** Rows per call (static). */
  n: number;
  dim: number;
  snapshots: boolean;
}

/** The keys of chunk `chunk`'s steps: streamKey(seed, SDE_STREAM, chunk * steps + k), k < steps. */
export function sdeKeys(seed: number, chunk: number, steps: number): Uint32Array {
  return Uint32Array.from({ length: steps }, (_, k) => streamKey(seed >>> 0, SDE_STREAM, sdeCounter(chunk, steps, k)));
}

/** The SDE program over any velocity field; `makeField` declares its inputs first (as `buildFusedSolverGraph`). */
export function buildSdeGraph(spec: SdeProgramSpec, makeField: (g: Graph) => GraphField): Graph {
  const { n, dim: d, interpolant: it } = spec;
  const g = new Graph('sde');
  const velocity = makeField(g);
  const x0 = g.input('x', 'float32', [n, d]);
  const t0 = g.input('t0', 'float32', []);
  const h = g.input('h', 'float32', []);
  const eps = g.input('eps', 'float32', []);
  const steps = g.input('steps', 'int64', []);
  const keys = g.input('keys', 'uint32', ['steps']);
  const A = graphAlgebra(h);
  const drift: GraphField = (t, x) => sdeDrift(A, it.at(A, t), x, velocity(t, x), diffusionAt(A, it, t, eps));
  const world = graphWorld(h, drift);
  const count = n * d + ((n * d) % 2);

  const result = op.loop(g, steps, [x0], ({ iter, carried: [x] }) => {
    const t = op.add(t0, op.mul(op.cast(iter, 'float32'), h));
    const normals = normalFromUniforms(uniformFromBits(hashBitsGraph(g, op.gather(keys, iter), count)));
    const noise = op.reshape(count === n * d ? normals : op.slice(normals, [0], [n * d], [0]), [n, d]);
    const next = sdeStep(world, spec.method, t, h, x, noise, stepNoiseScale(A, it, t, h, eps));
    return { carried: [next], scans: spec.snapshots ? [next] : [] };
  });
  const outs: Record<string, Value> = { x_out: result.final[0] };
  if (spec.snapshots) outs.traj = result.scans[0];
  return g.setNamedOutputs(outs);
}

/** The SDE program over a velocity net whose flat weights come in as `params`. */
export function buildSdeProgram(spec: Omit<SdeProgramSpec, 'dim'> & { net: NetSpec }): Uint8Array {
  const { net, n } = spec;
  return serializeModel(
    buildSdeGraph({ ...spec, dim: netDim(net) }, (g) => {
      const field = netField(net, g.input('params', 'float32', [netParamCount(net)]));
      return (t, x) => field(x, op.expand(op.reshape(t, [1, 1]), [n, 1]));
    }),
  );
}
