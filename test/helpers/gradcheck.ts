/**
 * Central finite differences against the graph's reverse-mode gradients, run in the real ONNX
 * Runtime in float64: loss(x) = sum(w * f(x)) with a fixed random w, so every output element
 * contributes with its own weight.
 */
import { Graph, type DType, type Value } from '../../src-main/engine/onnx/graph.js';
import * as op from '../../src-main/engine/onnx/ops/index.js';
import { grad } from '../../src-main/engine/onnx/autodiff.js';
import { serializeModel } from '../../src-main/engine/onnx/serialize.js';
import { createSession, ort } from '../../src-main/engine/onnx/runtime.js';
import { Rng } from '../../src-main/engine/random.js';

export interface GradCheckInput {
  shape: number[];
  /** Values drawn uniformly in [lo, hi]. */
  lo?: number;
  hi?: number;
  /** No gradient checked (e.g. a condition). */
  constant?: boolean;
  dtype?: DType;
}

/** Central difference step for float64: error ~ h^2 f''' vs rounding ~ eps / h. */
const FD_STEP = 1e-6;
/** For graphs with float32 inputs (ops ONNX Runtime has no float64 kernel for, e.g. Erf). */
const FD_STEP_FLOAT32 = 1e-2;

export async function gradCheck(
  f: (...xs: Value[]) => Value,
  inputs: GradCheckInput[],
  seed = 1,
  step?: number,
): Promise<{ maxAbsErr: number; maxRelErr: number; checked: number }> {
  const rng = new Rng(seed, 99);
  const g = new Graph('gradcheck');
  const xs = inputs.map((s, i) => g.input(`x${i}`, s.dtype ?? 'float64', s.shape));
  const y = f(...xs);
  const wData = Float64Array.from({ length: y.size ?? 0 }, () => rng.normal());
  const w = g.constant(wData, 'float64', y.staticShape());
  const loss = op.reduceSum(op.mul(y.dtype === 'float64' ? y : op.cast(y, 'float64'), w));
  const wrt = xs.filter((_, i) => !inputs[i].constant);
  const grads = grad(loss, wrt);
  g.setNamedOutputs({ loss, ...Object.fromEntries(grads.map((gv, k) => [`g${k}`, gv])) });
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });

  const data = inputs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const lo = s.lo ?? -1.5;
    const hi = s.hi ?? 1.5;
    return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
  });
  const feeds = (ds: Float64Array[]) =>
    Object.fromEntries(
      ds.map((d, i) => {
        const dt = inputs[i].dtype ?? 'float64';
        const arr = dt === 'float64' ? d : dt === 'bool' ? Uint8Array.from(d, (v) => (v > 0 ? 1 : 0)) : Float32Array.from(d);
        return [`x${i}`, new ort.Tensor(dt === 'bool' ? 'bool' : dt, arr, inputs[i].shape)];
      }),
    );
  const lossAt = async (ds: Float64Array[]) => ((await session.run(feeds(ds))).loss.data as Float64Array)[0];
  const out = await session.run(feeds(data));

  const h = step ?? (inputs.some((s) => s.dtype === 'float32') ? FD_STEP_FLOAT32 : FD_STEP);
  let maxAbsErr = 0;
  let maxRelErr = 0;
  let checked = 0;
  let k = 0;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i].constant) continue;
    const analytic = Float64Array.from(out[`g${k++}`].data as Float64Array | Float32Array);
    if (analytic.length !== data[i].length) throw new Error(`gradient of x${i} has ${analytic.length} elements, input has ${data[i].length}`);
    for (let j = 0; j < data[i].length; j++) {
      const plus = data.map((d) => d.slice());
      const minus = data.map((d) => d.slice());
      plus[i][j] += h;
      minus[i][j] -= h;
      const numeric = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * h);
      const err = Math.abs(numeric - analytic[j]);
      maxAbsErr = Math.max(maxAbsErr, err);
      maxRelErr = Math.max(maxRelErr, err / Math.max(1, Math.abs(numeric)));
      checked++;
    }
  }
  await session.release();
  return { maxAbsErr, maxRelErr, checked };
}
