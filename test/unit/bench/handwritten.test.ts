import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handwrittenLossAndGrads } from '../../../bench/flowlab/handwritten.js';
import { Graph } from '../../../src-main/engine/onnx/graph.js';
import { serializeModel } from '../../../src-main/engine/onnx/serialize.js';
import { createSession, ort } from '../../../src-main/engine/onnx/runtime.js';
import { getInterpolant } from '../../../src-main/engine/interpolants/schedules.js';
import { initParams, paramLayout, unpackParams, type MlpSpec } from '../../../src-main/engine/nets/mlp.js';
import { Rng } from '../../../src-main/engine/random.js';
import { autodiffLossAndGrads, regressionPairs, type TrainProgramSpec } from '../../../src-main/engine/train/trainProgram.js';

// The benchmark's hand-written backward is only a fair "prototype" if it computes the same
// gradients as the engine's autodiff: both run in float64 on the same inputs.
for (const interpolant of ['trig', 'stochastic'] as const) {
  test(`hand-written backward = autodiff gradients (${interpolant} interpolant, float64)`, async () => {
    const net: MlpSpec = { kind: 'mlp', dim: 2, width: 16, depth: 3, activation: 'silu', timeFrequencies: 2 };
    const B = 32;
    const spec: TrainProgramSpec = {
      net, interpolant: getInterpolant(interpolant), batch: B, nData: B, nBase: null,
      optim: { optimizer: 'adam', beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0, clipNorm: 0, emaDecay: 0.999 },
    };
    const P = paramLayout(net).total;
    const g = new Graph('handwritten-check');
    const p = g.input('p', 'float64', [P]);
    const t = g.input('t', 'float64', [B, 1]);
    const [x0, x1, z] = ['x0', 'x1', 'z'].map((n) => g.input(n, 'float64', [B, 2]));
    const layers = unpackParams(net, p);
    const { input, target } = regressionPairs(spec, t, x0, x1, z);
    const a = autodiffLossAndGrads(spec, layers, input, target);
    const h = handwrittenLossAndGrads(spec, layers, input, target);
    g.setNamedOutputs({
      la: a.loss, lh: h.loss,
      ...Object.fromEntries(a.grads.map((v, i) => [`ga${i}`, v])),
      ...Object.fromEntries(h.grads.map((v, i) => [`gh${i}`, v])),
    });
    const s = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
    const rng = new Rng(3);
    const f64 = (n: number, f: () => number) => Float64Array.from({ length: n }, f);
    const out = await s.run({
      p: new ort.Tensor('float64', Float64Array.from(initParams(net, 5)), [P]),
      t: new ort.Tensor('float64', f64(B, () => 0.02 + 0.96 * rng.uniform()), [B, 1]),
      x0: new ort.Tensor('float64', f64(2 * B, () => rng.normal()), [B, 2]),
      x1: new ort.Tensor('float64', f64(2 * B, () => 4 * rng.uniform() - 2), [B, 2]),
      z: new ort.Tensor('float64', f64(2 * B, () => rng.normal()), [B, 2]),
    });
    const la = (out.la.data as Float64Array)[0];
    assert.ok(la > 0 && Math.abs(la - (out.lh.data as Float64Array)[0]) <= 1e-12 * la, 'same loss');
    for (let i = 0; i < a.grads.length; i++) {
      const ga = out[`ga${i}`].data as Float64Array;
      const gh = out[`gh${i}`].data as Float64Array;
      assert.equal(gh.length, ga.length);
      let scale = 0;
      for (const v of ga) scale = Math.max(scale, Math.abs(v));
      assert.ok(scale > 0, `gradient ${i} is not all zero`);
      for (let k = 0; k < ga.length; k++) assert.ok(Math.abs(ga[k] - gh[k]) <= 1e-10 * scale, `gradient ${i}[${k}]: autodiff ${ga[k]}, hand-written ${gh[k]}`);
    }
  });
}
