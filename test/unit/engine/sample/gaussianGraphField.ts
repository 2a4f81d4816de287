// The exact Gaussian interpolant velocity (SCIENCE.md section 7) as graph code, for fused-program tests:
//   v(t, x) = b' m + Q diag(c) Q^T (x - b m),   c_i = (a a' + gamma gamma' + b b' l_i) / (a^2 + gamma^2 + b^2 l_i)
// with S = Q diag(l) Q^T; rows of x are points, so the product is ((x - b m) Q * c) Q^T.
import { graphAlgebra } from '../../../../src-main/engine/interpolants/algebra.js';
import type { Interpolant } from '../../../../src-main/engine/interpolants/schedules.js';
import type { Value } from '../../../../src-main/engine/onnx/graph.js';
import * as op from '../../../../src-main/engine/onnx/ops/index.js';
import { symmetricEigen } from '../../../../src-main/engine/sample/symmetricEigen.js';

export function gaussianGraphField(m: Float64Array, S: Float64Array, it: Interpolant): (t: Value, x: Value) => Value {
  const d = m.length;
  const { values, vectors } = symmetricEigen(S, d);
  const Qt = new Float32Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Qt[i * d + j] = vectors[j * d + i];
  return (t, x) => {
    const g = x.graph;
    const A = graphAlgebra(t);
    const c = it.at(A, t);
    const gamma = c.gamma ?? A.c(0);
    const dgamma = c.dgamma ?? A.c(0);
    const lam = g.constant(Float32Array.from(values), 'float32', [1, d]);
    const mean = g.constant(Float32Array.from(m), 'float32', [1, d]);
    const num = op.add(op.add(op.mul(c.a, c.da), op.mul(gamma, dgamma)), op.mul(lam, op.mul(c.b, c.db)));
    const den = op.add(op.add(op.mul(c.a, c.a), op.mul(gamma, gamma)), op.mul(lam, op.mul(c.b, c.b)));
    const y = op.matmul(op.sub(x, op.mul(mean, c.b)), g.constant(Float32Array.from(vectors), 'float32', [d, d]));
    return op.add(op.mul(mean, c.db), op.matmul(op.mul(y, op.div(num, den)), g.constant(Qt, 'float32', [d, d])));
  };
}
