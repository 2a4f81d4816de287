/**
 * The "hand-written prototype" the engine is held against: the same training step with its
 * backward pass written out by hand for the SiLU MLP, as one would without an autodiff. Same
 * loss, same ops where a human would pick them (Gemm-able MatMul + Add, ReduceSum for bias
 * gradients, SiLU's derivative s + y (1 - s)); the random draws, the regression pairs and the
 * Adam/EMA part are the training program's own. The benchmark runs both in interleaved passes:
 * the autodiff must not be slower. Its gradients are checked against the autodiff's in
 * test/unit/bench/handwritten.test.ts.
 */
import type { Value } from '../../src-main/engine/onnx/graph.js';
import * as op from '../../src-main/engine/onnx/ops/index.js';
import type { LossAndGrads } from '../../src-main/engine/train/trainProgram.js';

export const handwrittenLossAndGrads: LossAndGrads = (spec, layers, input, target) => {
  if (spec.net.activation !== 'silu') throw new Error('the hand-written backward covers SiLU nets only');
  // forward, keeping what the backward needs: each layer's input h, and s = sigmoid(z), y = z s
  const L = layers.length / 2;
  const inputs: Value[] = [];
  const acts: { s: Value; y: Value }[] = [];
  let h = input;
  for (let l = 0; l < L; l++) {
    inputs.push(h);
    const pre = op.add(op.matmul(h, layers[2 * l]), layers[2 * l + 1]);
    if (l + 1 < L) {
      const s = op.sigmoid(pre);
      const y = op.mul(pre, s);
      acts.push({ s, y });
      h = y;
    } else h = pre;
  }
  const r = op.sub(h, target);
  const loss = op.mul(op.reduceSumSquare(r), 1 / spec.batch);
  // backward
  const grads: Value[] = new Array(2 * L);
  let dz = op.mul(r, 2 / spec.batch);
  for (let l = L - 1; l >= 0; l--) {
    grads[2 * l] = op.matmul(op.transpose(inputs[l]), dz);
    grads[2 * l + 1] = op.reduceSum(dz, [0], false);
    if (l > 0) {
      const dh = op.matmul(dz, op.transpose(layers[2 * l]));
      const { s, y } = acts[l - 1];
      dz = op.mul(dh, op.add(s, op.mul(y, op.sub(1, s))));
    }
  }
  return { loss, grads };
};
