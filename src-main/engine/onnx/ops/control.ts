/**
 * ONNX Loop: runs a body graph `trips` times, threading loop-carried values and stacking
 * per-iteration scan outputs along a new leading axis. FlowLab fuses K optimizer steps or N
 * solver steps into one Loop so one session run does a lot of work with one call overhead.
 */
import { Graph, type Dim, type OpDef, type Value } from '../graph.js';

/** The body graph, and the trip count as known at build time (a number or a symbolic name). */
export interface LoopAttrs {
  body: Graph;
  trips: Dim;
}
import { identity } from './shape.js';

export const Loop: OpDef<LoopAttrs> = {
  op: 'Loop',
  onnx: (a) => ({ body: a.body }),
  infer: (inputs, { body, trips }) => {
    const nCarried = inputs.length - 2;
    const outs = body.outputs.slice(1);
    return outs.map((v, k) =>
      k < nCarried ? { dtype: inputs[2 + k]!.dtype, shape: inputs[2 + k]!.shape } : { dtype: v.dtype, shape: [trips, ...v.shape] },
    );
  },
};

export interface LoopBody {
  graph: Graph;
  /** The iteration number, int64 scalar, 0-based. */
  iter: Value;
  /** This iteration's values of the loop-carried state. */
  carried: Value[];
}

export interface LoopResult {
  final: Value[];
  /** Per-iteration outputs stacked: shape [trips, ...]. */
  scans: Value[];
}

/**
 * for i in 0..trips-1: carried = body(i, carried); scans[i] = ...
 * `trips` is a number (static) or an int64 scalar Value of the outer graph.
 */
export function loop(
  outer: Graph,
  trips: number | Value,
  initial: Value[],
  body: (b: LoopBody) => { carried: Value[]; scans?: Value[] },
): LoopResult {
  const g = new Graph(`${outer.name}_loop`, outer);
  const iter = g.input(`iter_${g.name}_${outer.nodes.length}`, 'int64', []);
  const condIn = g.input(`cond_${g.name}_${outer.nodes.length}`, 'bool', []);
  const carriedIn = initial.map((v, k) => g.input(`${v.name}_in${k}`, v.dtype, v.shape));
  const out = body({ graph: g, iter, carried: carriedIn });
  if (out.carried.length !== initial.length) throw new Error('Loop body must return one value per carried input');
  out.carried.forEach((v, k) => {
    if (v.dtype !== initial[k].dtype) throw new Error(`Loop carried value ${k} changes dtype ${initial[k].dtype} -> ${v.dtype}`);
  });
  // Outputs must be produced inside the body: pass-through values get an Identity.
  const own = (v: Value) => (v.graph === g && v.node ? v : identity(v.graph === g ? v : bodyRef(g, v)));
  g.setOutputs(identity(condIn), ...out.carried.map(own), ...(out.scans ?? []).map(own));
  const tripsValue = typeof trips === 'number' ? outer.scalar(trips, 'int64') : trips;
  const results = outer.apply(Loop, [tripsValue, null, ...initial], {
    body: g,
    trips: typeof trips === 'number' ? trips : 'trips',
  });
  return { final: results.slice(0, initial.length), scans: results.slice(initial.length) };
}

function bodyRef(g: Graph, v: Value): Value {
  if (!g.sees(v.graph)) throw new Error(`value ${v.name} is not visible in the loop body`);
  return v;
}
