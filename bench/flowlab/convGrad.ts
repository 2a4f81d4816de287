/**
 * Ways to write one 3x3, stride-1, pad-1 Conv's gradients in ONNX, timed alone on ONNX
 * Runtime's CPU provider, alternating (best of `reps` each), beside the forward Conv: the input
 * gradient as ConvTranspose or as a Conv with the flipped, transposed kernel; the weight gradient
 * as the Conv rule now writes it (dw_im2col_concat: im2col as Slices + Concat when this was
 * written, one-hot patches since), as nine products on shifted windows or on shifted rows of the
 * flat padded image, from one-hot or Gather patches, or as a blocked Conv over the batch axis.
 * Each variant's result is checked against the first of its kind (dx_, dw_, fwd_).
 *
 * usage: node --import tsx bench/flowlab/convGrad.ts [--n 64] [--c 32] [--m 32] [--hw 28] [--threads 2] [--reps 5]
 */
import { vjp } from '../../src-main/engine/onnx/autodiff.js';
import { Graph, type Value } from '../../src-main/engine/onnx/graph.js';
import * as op from '../../src-main/engine/onnx/ops/index.js';
import { createSession, ort } from '../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../src-main/engine/onnx/serialize.js';
import { emit, fail, parseArgs } from './common.js';

type Build = (x: Value, w: Value, g: Value) => Value;

const flipT = (w: Value) => {
  const [m, c] = w.staticShape();
  const idx = w.graph.constant(BigInt64Array.from([8, 7, 6, 5, 4, 3, 2, 1, 0].map(BigInt)), 'int64', [9]);
  return op.reshape(op.gather(op.reshape(op.transpose(w, [1, 0, 2, 3]), [c, m, 9]), idx, 2), [c, m, 3, 3]);
};

const variants: Record<string, Build> = {
  fwd_conv: (x, w) => op.conv2d(x, w, { pad: 1 }),
  dx_convtranspose: (_x, w, g) => g.graph.apply(op.ConvTranspose, [g, w], { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1, outputPadding: [0, 0] })[0],
  dx_conv_flipped: (_x, w, g) => op.conv2d(g, flipT(w), { pad: 1 }),
  dw_im2col_concat: (x, w, g) => {
    const y = op.conv2d(x, w, { pad: 1 });
    return vjp([y], [g], [w])[0];
  },
  dw_nine_windows: (x, w, g) => {
    const [n, c, h, wd] = x.staticShape();
    const m = g.shape[1] as number;
    const xp = op.pad(op.transpose(x, [1, 0, 2, 3]), [0, 0, 1, 1, 0, 0, 1, 1]);
    const gr = op.reshape(op.transpose(g, [1, 0, 2, 3]), [m, n * h * wd]);
    const taps: Value[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) taps.push(op.unsqueeze(op.matmul(gr, op.transpose(op.reshape(op.slice(xp, [i, j], [i + h, j + wd], [2, 3]), [c, n * h * wd]))), [2]));
    return op.reshape(op.concat(taps, 2), [m, c, 3, 3]);
  },
  dw_flat_shift: (x, w, g) => {
    const [n, c, h, wd] = x.staticShape();
    const m = g.shape[1] as number;
    const [hp, wp] = [h + 2, wd + 2];
    const total = n * hp * wp;
    const len = total - 2 * wp - 2;
    const xf = op.reshape(op.pad(op.transpose(x, [1, 0, 2, 3]), [0, 0, 1, 1, 0, 0, 1, 1]), [c, total]);
    const gf = op.slice(op.reshape(op.pad(op.transpose(g, [1, 0, 2, 3]), [0, 0, 0, 0, 0, 0, 2, 2]), [m, total]), [0], [len], [1]);
    const taps: Value[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const d = i * wp + j;
      taps.push(op.unsqueeze(op.matmul(gf, op.transpose(op.slice(xf, [d], [d + len], [1]))), [2]));
    }
    return op.reshape(op.concat(taps, 2), [m, c, 3, 3]);
  },
  dw_onehot_conv: (x, w, g) => {
    const [n, c, h, wd] = x.staticShape();
    const m = g.shape[1] as number;
    const eye = new Float32Array(9 * c * 9);
    for (let k = 0; k < 9 * c; k++) eye[k * 9 + (k % 9)] = 1;
    const kernel = x.graph.constant(eye, 'float32', [9 * c, 1, 3, 3]);
    const patches = op.reshape(op.conv2d(x, kernel, { pad: 1, group: c }), [n, 9 * c, h * wd]);
    const per = op.matmul(op.reshape(g, [n, m, h * wd]), op.transpose(patches, [0, 2, 1]));
    return op.reshape(op.reduceSum(per, [0]), [m, c, 3, 3]);
  },
  dw_onehot_images: (x, w, g) => {
    const [n, c, h, wd] = x.staticShape();
    const m = g.shape[1] as number;
    const eye = new Float32Array(81);
    for (let k = 0; k < 9; k++) eye[k * 9 + k] = 1;
    const kernel = x.graph.constant(eye, 'float32', [9, 1, 3, 3]);
    const patches = op.reshape(op.conv2d(op.reshape(x, [n * c, 1, h, wd]), kernel, { pad: 1 }), [n, 9 * c, h * wd]);
    const per = op.matmul(op.reshape(g, [n, m, h * wd]), op.transpose(patches, [0, 2, 1]));
    return op.reshape(op.reduceSum(per, [0]), [m, c, 3, 3]);
  },
  dw_gather: (x, w, g) => {
    const [n, c, h, wd] = x.staticShape();
    const m = g.shape[1] as number;
    const wp = wd + 2;
    const idx = new BigInt64Array(9 * h * wd);
    for (let t = 0; t < 9; t++) for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) idx[t * h * wd + i * wd + j] = BigInt((i + Math.floor(t / 3)) * wp + j + (t % 3));
    const xp = op.reshape(op.pad(x, [0, 0, 1, 1, 0, 0, 1, 1]), [n, c, (h + 2) * wp]);
    const patches = op.reshape(op.gather(xp, x.graph.constant(idx, 'int64', [9 * h * wd]), 2), [n, 9 * c, h * wd]);
    const per = op.matmul(op.reshape(g, [n, m, h * wd]), op.transpose(patches, [0, 2, 1]));
    return op.reshape(op.reduceSum(per, [0]), [m, c, 3, 3]);
  },
  dw_flat_shift_batched: (x, w, g) => {
    const [n, c, h, wd] = x.staticShape();
    const m = g.shape[1] as number;
    const [hp, wp] = [h + 2, wd + 2];
    const len = hp * wp - 2 * wp - 2;
    const xf = op.reshape(op.pad(x, [0, 0, 1, 1, 0, 0, 1, 1]), [n, c, hp * wp]);
    const gf = op.slice(op.reshape(op.pad(g, [0, 0, 0, 0, 0, 0, 2, 2]), [n, m, hp * wp]), [0], [len], [2]);
    const taps: Value[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const d = i * wp + j;
      taps.push(op.unsqueeze(op.matmul(gf, op.transpose(op.slice(xf, [d], [d + len], [2]), [0, 2, 1])), [3]));
    }
    return op.reshape(op.reduceSum(op.concat(taps, 3), [0]), [m, c, 3, 3]);
  },
  dw_gather_nhwc: (x, w, g) => {
    const [n, c, h, wd] = x.staticShape();
    const m = g.shape[1] as number;
    const wp = wd + 2;
    const idx = new BigInt64Array(h * wd * 9);
    for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) for (let t = 0; t < 9; t++) idx[(i * wd + j) * 9 + t] = BigInt((i + Math.floor(t / 3)) * wp + j + (t % 3));
    const xp = op.reshape(op.pad(op.transpose(x, [0, 2, 3, 1]), [0, 1, 1, 0, 0, 1, 1, 0]), [n, (h + 2) * wp, c]);
    const patches = op.reshape(op.gather(xp, x.graph.constant(idx, 'int64', [h * wd * 9]), 1), [n, h * wd, 9 * c]);
    const per = op.matmul(op.reshape(g, [n, m, h * wd]), patches);
    return op.reshape(op.transpose(op.reshape(op.reduceSum(per, [0]), [m, 9, c]), [0, 2, 1]), [m, c, 3, 3]);
  },
  dw_batch_conv_blocked: (x, w, g) => op.withConvChannelBlock(16, () => op.transpose(op.conv2d(op.transpose(x, [1, 0, 2, 3]), op.transpose(g, [1, 0, 2, 3]), { pad: 1 }), [1, 0, 2, 3])),
  dw_patches_only: (x) => {
    const [n, c] = x.staticShape();
    const eye = new Float32Array(9 * c * 9);
    for (let k = 0; k < 9 * c; k++) eye[k * 9 + (k % 9)] = 1;
    return op.reduceSum(op.conv2d(x, x.graph.constant(eye, 'float32', [9 * c, 1, 3, 3]), { pad: 1, group: c }), [0, 1]);
  },
};

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { n: '64', c: '32', m: '32', hw: '28', threads: '2', reps: '5', only: '' });
  const [n, c, m, hw] = [a.n, a.c, a.m, a.hw].map(Number);
  const names = a.only ? a.only.split(',') : Object.keys(variants);
  const sessions = [];
  for (const name of names) {
    const g = new Graph(name);
    const x = g.input('x', 'float32', [n, c, hw, hw]);
    const w = g.input('w', 'float32', [m, c, 3, 3]);
    const gy = g.input('g', 'float32', [n, m, hw, hw]);
    g.setNamedOutputs({ out: variants[name](x, w, gy) });
    sessions.push({ name, s: await createSession(serializeModel(g), { backend: 'cpu', threads: Number(a.threads) }), best: Infinity, out: null as Float32Array | null });
  }
  const fill = (k: number, seed: number) => Float32Array.from({ length: k }, (_, i) => Math.sin(i * 0.37 + seed));
  const feeds = { x: new ort.Tensor('float32', fill(n * c * hw * hw, 1), [n, c, hw, hw]), w: new ort.Tensor('float32', fill(m * c * 9, 2), [m, c, 3, 3]), g: new ort.Tensor('float32', fill(n * m * hw * hw, 3), [n, m, hw, hw]) };
  for (let r = 0; r <= Number(a.reps); r++) {
    for (const v of sessions) {
      const t0 = performance.now();
      const out = await v.s.run(feeds);
      const ms = performance.now() - t0;
      if (r > 0) v.best = Math.min(v.best, ms);
      v.out = out.out.data as Float32Array;
    }
  }
  const maxDiff = (p: Float32Array, q: Float32Array) => p.reduce((mx, u, i) => Math.max(mx, Math.abs(u - q[i]) / (1 + Math.abs(q[i]))), 0);
  const ref = { dx: sessions.find((v) => v.name.startsWith('dx')), dw: sessions.find((v) => v.name.startsWith('dw')), fw: sessions.find((v) => v.name.startsWith('fw')) };
  emit({ n, c, m, hw, threads: Number(a.threads), results: sessions.map((v) => ({ name: v.name, best_ms: +v.best.toFixed(2), rel_diff: +maxDiff(v.out!, ref[v.name.slice(0, 2) as 'dx' | 'dw' | 'fw']!.out!).toExponential(2) })) });
}

main().catch(fail);
