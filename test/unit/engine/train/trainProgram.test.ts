import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, defaultMlpConfig, type ExperimentConfig } from '../../../../src-main/api/config.js';
import { getInterpolant, coefficientsAt } from '../../../../src-main/engine/interpolants/schedules.js';
import { featureCount, initParams, paramLayout, unpackParams, type MlpSpec } from '../../../../src-main/engine/nets/mlp.js';
import { grad } from '../../../../src-main/engine/onnx/autodiff.js';
import { Graph } from '../../../../src-main/engine/onnx/graph.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { initialState, TrainSession } from '../../../../src-main/engine/train/trainSession.js';
import { flatGradient, randomLayout, velocityLoss } from '../../../../src-main/engine/train/trainProgram.js';
import { TRAIN_STREAM } from '../../../../src-main/engine/train/stepInputs.js';
import { learningRate } from '../../../../src-main/engine/train/schedule.js';
import { Rng, bitsToUniform, hashBits, streamKey } from '../../../../src-main/engine/random.js';
import { referenceVelocity } from '../../../helpers/referenceMlp.js';

const net: MlpSpec = { kind: 'mlp', dim: 2, width: 32, depth: 2, activation: 'silu', timeFrequencies: 2 };
const N = 500;

function config(over: Partial<ExperimentConfig['train']> = {}, interpolant: ExperimentConfig['interpolant'] = 'trig'): ExperimentConfig {
  const c = defaultConfig('checkerboard', 42);
  c.net = { kind: 'mlp', width: net.width, depth: net.depth, activation: net.activation, timeFrequencies: net.timeFrequencies };
  c.interpolant = interpolant;
  Object.assign(c.train, { steps: 200, batch: 64, warmupSteps: 10, ...over });
  return c;
}

function data(seed = 3): Float32Array {
  const r = new Rng(seed);
  return Float32Array.from({ length: N * 2 }, (_, i) => (i % 2 ? 1 : -1) + 0.5 * r.normal());
}

async function session(c: ExperimentConfig, base: Float32Array | null = null) {
  return TrainSession.create({ config: c, net, interpolant: getInterpolant(c.interpolant), data: data(), base, state: initialState(net, c.train.seed), backend: 'cpu', threads: 2 });
}

test('two runs with one seed give bit-identical losses and weights, however the steps are chunked', async () => {
  const a = await session(config());
  const la = Array.from((await a.advance(40)).losses);
  const b = await session(config());
  const lb: number[] = [];
  for (const k of [7, 13, 1, 19]) lb.push(...(await b.advance(k)).losses);
  assert.deepEqual(lb, la);
  assert.deepEqual(b.state.params, a.state.params);
  assert.deepEqual(b.state.ema, a.state.ema);
  assert.deepEqual(b.state.v, a.state.v);
  const c = await session(config({ seed: 43 }));
  assert.notDeepEqual(Array.from((await c.advance(40)).losses), la);
});

test('the unrolled programs (what GPU backends run) give the Loop program\'s bits, in pieces of any size, data-to-data too', async () => {
  for (const base of [null, data(9)]) {
    const c = config({ timeSampling: 'late' }, base ? 'linear' : 'stochastic');
    const mk = (unroll: number) => TrainSession.create({ config: c, net, interpolant: getInterpolant(c.interpolant), data: data(), base, state: initialState(net, c.train.seed), backend: 'cpu', threads: 2, unroll });
    const loop = await mk(0);
    const unrolled = await mk(4);
    assert.equal(loop.unrollSteps, 0);
    assert.equal(unrolled.unrollSteps, 4);
    const la: number[] = [];
    const ga: number[] = [];
    const lb: number[] = [];
    const gb: number[] = [];
    for (const k of [9, 4, 1, 6]) {
      const ra = await loop.advance(k);
      const rb = await unrolled.advance(k); // 4 + 4 + 1, 4, 1, 4 + 2: pieces of every size
      la.push(...ra.losses);
      ga.push(...ra.gradNorms);
      lb.push(...rb.losses);
      gb.push(...rb.gradNorms);
    }
    assert.equal(lb.length, 20);
    assert.deepEqual(lb, la);
    assert.deepEqual(gb, ga);
    assert.equal(unrolled.state.step, 20);
    for (const key of ['params', 'm', 'v', 'ema'] as const) assert.deepEqual(unrolled.state[key], loop.state[key], key);
    await loop.release();
    await unrolled.release();
  }
});

test('chunking does not change a bit at the default size either, nor for a batch off the SIMD width', async () => {
  // Each call draws all its steps' randomness in one pass over [k, ...] tensors. A kernel that
  // rounds an element differently by its place in a larger tensor (ONNX Runtime's Log does, for
  // 13k-19k elements) would make a step's draws depend on k: chunks of 16 + 44 steps at batch 1024
  // caught that, so the transcendental parts are made per step.
  const cases: [ExperimentConfig, MlpSpec, number[], number][] = [];
  const big = defaultMlpConfig('checkerboard', 7);
  cases.push([big, { dim: 2, ...big.net }, [16, 44], 2]);
  for (const interpolant of ['vp', 'stochastic'] as const) cases.push([config({ batch: 37, timeSampling: 'late' }, interpolant), net, [5, 1, 11, 6], 3]);
  for (const [c, spec, chunks, threads] of cases) {
    const mk = () => TrainSession.create({ config: c, net: spec, interpolant: getInterpolant(c.interpolant), data: data(), base: null, state: initialState(spec, 5), backend: 'cpu', threads });
    const total = chunks.reduce((a, b) => a + b);
    const a = await mk();
    const la = Array.from((await a.advance(total)).losses);
    const b = await mk();
    const lb: number[] = [];
    for (const k of chunks) lb.push(...(await b.advance(k)).losses);
    const what = `${c.interpolant}, batch ${c.train.batch}, chunks ${chunks}`;
    assert.deepEqual(lb, la, what);
    assert.deepEqual(b.state.params, a.state.params, what);
  }
});

test('the flat gradient (weight and bias rows of one product, taken whole) matches central differences of the loss', async () => {
  const small: MlpSpec = { kind: 'mlp', dim: 2, width: 6, depth: 2, activation: 'silu', timeFrequencies: 1 };
  const B = 9;
  const spec = { net: small, interpolant: getInterpolant('trig'), batch: B, nData: B, nBase: null, optim: config().train };
  const P = paramLayout(small).total;
  const g = new Graph('flat-gradient');
  const p = g.input('p', 'float64', [P]);
  const input = g.input('input', 'float64', [B, featureCount(small)]);
  const target = g.input('target', 'float64', [B, 2]);
  const layers = unpackParams(small, p);
  const loss = velocityLoss(spec, layers, input, target);
  const flat = flatGradient(grad(loss, layers));
  // the row blocks went in whole: nothing between the products and the concatenation is a Slice
  assert.ok(flat.node!.inputs.every((r) => r!.node!.inputs[0]!.node!.def.op !== 'Slice'), 'the gradient was sliced apart');
  g.setNamedOutputs({ loss, flat });
  const s = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
  const r = new Rng(4);
  const feeds = {
    input: new ort.Tensor('float64', Float64Array.from({ length: B * featureCount(small) }, () => r.normal()), [B, featureCount(small)]),
    target: new ort.Tensor('float64', Float64Array.from({ length: B * 2 }, () => r.normal()), [B, 2]),
  };
  const p0 = Float64Array.from(initParams(small, 3));
  const at = async (q: Float64Array) => s.run({ ...feeds, p: new ort.Tensor('float64', q, [P]) });
  const exact = (await at(p0)).flat.data as Float64Array;
  assert.equal(exact.length, P);
  const h = 1e-6;
  for (let i = 0; i < P; i++) {
    const [up, down] = [p0.slice(), p0.slice()];
    up[i] += h;
    down[i] -= h;
    const fd = (((await at(up)).loss.data as Float64Array)[0] - ((await at(down)).loss.data as Float64Array)[0]) / (2 * h);
    assert.ok(Math.abs(fd - exact[i]) <= 1e-6 * (1 + Math.abs(fd)), `parameter ${i}: difference quotient ${fd}, gradient ${exact[i]}`);
  }
});

test("the reported loss is |v(t, x_t) - dI/dt|^2 of the batch the generator defines, recomputed in TypeScript", async () => {
  const c = config();
  const s = await session(c);
  const params = s.state.params.slice();
  const step = 0;
  const loss = (await s.advance(1)).losses[0];
  const B = c.train.batch;
  const key = streamKey(c.train.seed, TRAIN_STREAM, step);
  const layout = randomLayout({ net, interpolant: getInterpolant('trig'), batch: B, nData: N, nBase: null, optim: c.train });
  const u = (i: number) => bitsToUniform(hashBits(key, i));
  const normal = (j: number) => {
    // Box-Muller on the pair (2q, 2q + 1) of the x0 segment, as Rng.normal
    const q = Math.floor(j / 2);
    const r = Math.sqrt(-2 * Math.log(u(layout.x0.offset + 2 * q)));
    const th = 2 * Math.PI * u(layout.x0.offset + 2 * q + 1);
    return j % 2 ? r * Math.sin(th) : r * Math.cos(th);
  };
  const xs = data();
  const ts = new Float64Array(B);
  const xt = new Float64Array(B * 2);
  const target = new Float64Array(B * 2);
  for (let i = 0; i < B; i++) {
    // default 'late' time sampling, in float32 as the graph computes it: t = 1 - (1 - u)^2
    const omu = Math.fround(1 - Math.fround(u(layout.t.offset + i)));
    const t = c.train.timeSampling === 'late' ? Math.fround(1 - Math.fround(omu * omu)) : Math.fround(u(layout.t.offset + i));
    ts[i] = t;
    const k = coefficientsAt(getInterpolant('trig'), t);
    const row = hashBits(key, layout.x1.offset + i) % N;
    for (let j = 0; j < 2; j++) {
      const x0 = normal(i * 2 + j);
      const x1 = xs[row * 2 + j];
      xt[i * 2 + j] = k.a * x0 + k.b * x1;
      target[i * 2 + j] = k.da * x0 + k.db * x1;
    }
  }
  const v = referenceVelocity(net, params, xt, ts, B);
  let ref = 0;
  for (let i = 0; i < v.length; i++) ref += (v[i] - target[i]) ** 2;
  ref /= B;
  assert.ok(Math.abs(loss - ref) < 1e-4 * ref, `program loss ${loss}, TypeScript ${ref}`);
});

test('the first Adam step moves each parameter by the learning rate (bias-corrected m/sqrt(v) = sign(g))', async () => {
  const c = config({ clipNorm: 0, warmupSteps: 0, lr: 1e-3 });
  const s = await session(c);
  const p0 = s.state.params.slice();
  await s.advance(1);
  const lr = learningRate(c.train, 0);
  let atLr = 0;
  for (let i = 0; i < p0.length; i++) {
    const dp = Math.abs(s.state.params[i] - p0[i]);
    assert.ok(dp <= lr * (1 + 1e-3), `parameter ${i} moved ${dp} > lr ${lr}`);
    if (Math.abs(dp - lr) < 1e-2 * lr) atLr++;
  }
  assert.ok(atLr > 0.9 * p0.length, `${atLr} of ${p0.length} parameters moved by lr`);
});

test('gradient clipping bounds the update of a huge-loss batch, and the EMA starts at the weights', async () => {
  const c = config({ clipNorm: 1e-3, warmupSteps: 0 });
  const s = await session(c);
  const { gradNorms } = await s.advance(3);
  assert.ok(gradNorms.every((g) => g > 1e-3), 'raw gradient norms are reported before clipping');
  const fresh = await session(c);
  const ema0 = fresh.state.ema.slice();
  assert.deepEqual(ema0, fresh.state.params);
  // after one step the moments hold the clipped gradient c g, |c g| = clipNorm:
  // m = (1 - b1) c g and v = (1 - b2) (c g)^2, so |m| / (1 - b1) = clipNorm and m^2 / v = (1 - b1)^2 / (1 - b2)
  await fresh.advance(1);
  const { beta1: b1, beta2: b2 } = c.train;
  const { m, v } = fresh.state;
  const norm = Math.sqrt(m.reduce((a, x) => a + x * x, 0)) / (1 - b1);
  assert.ok(Math.abs(norm - 1e-3) < 1e-6, `clipped gradient norm ${norm}`);
  let checked = 0;
  for (let i = 0; i < m.length; i++) {
    if (v[i] < 1e-30) continue;
    checked++;
    assert.ok(Math.abs((m[i] * m[i]) / v[i] / ((1 - b1) ** 2 / (1 - b2)) - 1) < 1e-3, `parameter ${i}: m ${m[i]}, v ${v[i]}`);
  }
  assert.ok(checked > m.length / 2, `only ${checked} parameters had a gradient`);
});

test('a stochastic interpolant and a data-to-data base both train with finite, falling losses', async () => {
  for (const [c, base] of [
    [config({ steps: 300, lr: 3e-3 }, 'stochastic'), null],
    [config({ steps: 300, lr: 3e-3 }, 'linear'), data(9)],
  ] as const) {
    const s = await session(c, base);
    const l = Array.from((await s.advance(300)).losses);
    assert.ok(l.every(Number.isFinite));
    const first = l.slice(0, 30).reduce((a, b) => a + b) / 30;
    const last = l.slice(-30).reduce((a, b) => a + b) / 30;
    assert.ok(last < first, `${c.interpolant}: loss ${first} -> ${last}`);
  }
});
