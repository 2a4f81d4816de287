/**
 * The image velocity net: a DDPM-style U-Net (Ho et al. 2020) on x [N, C, H, W] and t [N, 1].
 *   time:   e = W2 silu(W1 [t, sin(2 pi k t), cos(2 pi k t)] + b1) + b2        (k = 1..F)
 *   in:     h = conv3x3(x)
 *   down:   per level l, `blocksPerLevel` residual blocks at base * mult[l] channels, then a
 *           stride-2 conv3x3 (not after the last level); every output is kept as a skip
 *   middle: residual block, self-attention (optional), residual block
 *   up:     per level, from the lowest, blocksPerLevel + 1 residual blocks, each on
 *           concat(h, the last skip) along the channels; then nearest 2x upsampling + conv3x3
 *   out:    v = conv3x3(silu(groupNorm(h)))
 * A residual block: h = conv3(silu(gn(x))) + dense(silu(e)) per channel, out = skip(x) +
 * conv3(silu(gn(h))), skip a 1x1 conv when the channel count changes. Attention is one head
 * over the H W positions: softmax(q^T k / sqrt(C)) applied to v, a 1x1 projection, a residual.
 *
 * The architecture is written once, as a list of blocks (`unetBlocks`): the parameter layout and
 * the forward pass both walk it. All parameters live in one flat Float32 vector, as the MLP's do.
 */
import type { Value } from '../onnx/graph.js';
import * as op from '../onnx/ops/index.js';
import { Rng } from '../random.js';
import { timeFeatures } from './mlp.js';

export interface UnetSpec {
  /** Image channels C, height H, width W. */
  channels: number;
  height: number;
  width: number;
  baseChannels: number;
  /** One entry per level: that level's channels are baseChannels * mult. */
  channelMults: number[];
  blocksPerLevel: number;
  /** Self-attention between the two middle blocks (at the lowest resolution). */
  attention: boolean;
  /** Fourier frequencies of t, as the MLP's `timeFrequencies`. */
  timeFrequencies: number;
}

/** GroupNorm's group count in DDPM; a level whose channels do not split into 32 uses gcd(channels, 32). */
const NORM_GROUPS = 32;

export interface UnetSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
  fanIn: number;
  /** 'uniform': U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's Conv2d/Linear default); norms start at scale 1, shift 0. */
  init: 'uniform' | 'one' | 'zero';
}

type Block =
  | { kind: 'res'; name: string; cin: number; cout: number; skipIn: boolean }
  | { kind: 'attn'; name: string; ch: number }
  | { kind: 'down'; name: string; ch: number }
  | { kind: 'up'; name: string; ch: number };

/** Levels divide the image: each down-sampling halves H and W exactly. */
export function checkUnetSpec(spec: UnetSpec): void {
  const halvings = spec.channelMults.length - 1;
  const factor = 2 ** halvings;
  if (spec.channelMults.length === 0) throw new Error('net.channelMults: a U-Net needs at least one level');
  if (spec.height % factor !== 0 || spec.width % factor !== 0) {
    throw new Error(`net.channelMults: ${spec.channelMults.length} levels halve the image ${halvings} times, so its size must be divisible by ${factor}; ${spec.height}x${spec.width} is not`);
  }
}

/** The blocks in the order the forward pass runs them, with the channels each sees. */
export function unetBlocks(spec: UnetSpec): { down: Block[]; middle: Block[]; up: Block[] } {
  checkUnetSpec(spec);
  const chs = spec.channelMults.map((m) => spec.baseChannels * m);
  const levels = chs.length;
  const down: Block[] = [];
  const skips: number[] = [spec.baseChannels];
  let ch = spec.baseChannels;
  for (let l = 0; l < levels; l++) {
    for (let b = 0; b < spec.blocksPerLevel; b++) {
      down.push({ kind: 'res', name: `down${l}.res${b}`, cin: ch, cout: chs[l], skipIn: false });
      ch = chs[l];
      skips.push(ch);
    }
    if (l + 1 < levels) {
      down.push({ kind: 'down', name: `down${l}.sample`, ch });
      skips.push(ch);
    }
  }
  const middle: Block[] = [{ kind: 'res', name: 'mid.res0', cin: ch, cout: ch, skipIn: false }];
  if (spec.attention) middle.push({ kind: 'attn', name: 'mid.attn', ch });
  middle.push({ kind: 'res', name: 'mid.res1', cin: ch, cout: ch, skipIn: false });
  const up: Block[] = [];
  for (let l = levels - 1; l >= 0; l--) {
    for (let b = 0; b <= spec.blocksPerLevel; b++) {
      up.push({ kind: 'res', name: `up${l}.res${b}`, cin: ch + skips.pop()!, cout: chs[l], skipIn: true });
      ch = chs[l];
    }
    if (l > 0) up.push({ kind: 'up', name: `up${l}.sample`, ch });
  }
  return { down, middle, up };
}

export function timeEmbedWidth(spec: UnetSpec): number {
  return 4 * spec.baseChannels;
}

/** Every parameter tensor, in layout order. */
function slotShapes(spec: UnetSpec): Omit<UnetSlot, 'offset' | 'size'>[] {
  const out: Omit<UnetSlot, 'offset' | 'size'>[] = [];
  const conv = (name: string, cin: number, cout: number, k: number) => {
    out.push({ name: `${name}.w`, shape: [cout, cin, k, k], fanIn: cin * k * k, init: 'uniform' });
    out.push({ name: `${name}.b`, shape: [cout], fanIn: cin * k * k, init: 'uniform' });
  };
  const dense = (name: string, fin: number, fout: number) => {
    out.push({ name: `${name}.w`, shape: [fin, fout], fanIn: fin, init: 'uniform' });
    out.push({ name: `${name}.b`, shape: [fout], fanIn: fin, init: 'uniform' });
  };
  const norm = (name: string, ch: number) => {
    out.push({ name: `${name}.scale`, shape: [ch], fanIn: 1, init: 'one' });
    out.push({ name: `${name}.shift`, shape: [ch], fanIn: 1, init: 'zero' });
  };
  const e = timeEmbedWidth(spec);
  dense('time0', 1 + 2 * spec.timeFrequencies, e);
  dense('time1', e, e);
  conv('in', spec.channels, spec.baseChannels, 3);
  const { down, middle, up } = unetBlocks(spec);
  for (const b of [...down, ...middle, ...up]) {
    if (b.kind === 'res') {
      norm(`${b.name}.norm0`, b.cin);
      conv(`${b.name}.conv0`, b.cin, b.cout, 3);
      dense(`${b.name}.time`, e, b.cout);
      norm(`${b.name}.norm1`, b.cout);
      conv(`${b.name}.conv1`, b.cout, b.cout, 3);
      if (b.cin !== b.cout) conv(`${b.name}.skip`, b.cin, b.cout, 1);
    } else if (b.kind === 'attn') {
      norm(`${b.name}.norm`, b.ch);
      conv(`${b.name}.qkv`, b.ch, 3 * b.ch, 1);
      conv(`${b.name}.proj`, b.ch, b.ch, 1);
    } else conv(`${b.name}.conv`, b.ch, b.ch, 3);
  }
  norm('out.norm', spec.baseChannels * spec.channelMults[0]);
  conv('out', spec.baseChannels * spec.channelMults[0], spec.channels, 3);
  return out;
}

export function unetParamLayout(spec: UnetSpec): { slots: UnetSlot[]; total: number } {
  let offset = 0;
  const slots = slotShapes(spec).map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const slot = { ...s, offset, size };
    offset += size;
    return slot;
  });
  return { slots, total: offset };
}

/** Seeded initialisation (see UnetSlot.init). */
export function unetInitParams(spec: UnetSpec, seed: number): Float32Array {
  const { slots, total } = unetParamLayout(spec);
  const p = new Float32Array(total);
  const rng = new Rng(seed, 1001);
  for (const s of slots) {
    const bound = 1 / Math.sqrt(s.fanIn);
    for (let i = 0; i < s.size; i++) p[s.offset + i] = s.init === 'one' ? 1 : s.init === 'zero' ? 0 : (2 * rng.uniform() - 1) * bound;
  }
  return p;
}

/** Views of the flat vector as the named tensors (Slice + Reshape in the graph). */
export function unetUnpackParams(spec: UnetSpec, flat: Value): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const s of unetParamLayout(spec).slots) out.set(s.name, op.reshape(op.slice(flat, [s.offset], [s.offset + s.size], [0]), s.shape));
  return out;
}

/** v(t, x): x [N, C, H, W], t [N, 1]; `params` as `unetUnpackParams` makes them. */
export function unetVelocity(spec: UnetSpec, params: Map<string, Value>, x: Value, t: Value): Value {
  const [, c, h, w] = x.shape;
  if (x.rank !== 4 || c !== spec.channels || h !== spec.height || w !== spec.width) {
    throw new Error(`U-Net for [N, ${spec.channels}, ${spec.height}, ${spec.width}] images got x of shape [${x.shape}]`);
  }
  const p = (name: string) => {
    const v = params.get(name);
    if (!v) throw new Error(`U-Net parameter ${name} is missing`);
    return v;
  };
  const conv = (name: string, v: Value, pad: number, stride = 1) => op.conv2d(v, p(`${name}.w`), { pad, stride, bias: p(`${name}.b`) });
  const norm = (name: string, v: Value) => op.groupNorm(v, gcd(v.shape[1] as number, NORM_GROUPS), p(`${name}.scale`), p(`${name}.shift`));
  const dense = (name: string, v: Value) => op.gemm(v, p(`${name}.w`), p(`${name}.b`));

  const emb = op.silu(dense('time1', op.silu(dense('time0', timeFeatures(t, spec.timeFrequencies)))));
  const run = (b: Block, v: Value): Value => {
    switch (b.kind) {
      case 'res': {
        let hh = conv(`${b.name}.conv0`, op.silu(norm(`${b.name}.norm0`, v)), 1);
        hh = op.add(hh, op.unsqueeze(dense(`${b.name}.time`, emb), [2, 3]));
        hh = conv(`${b.name}.conv1`, op.silu(norm(`${b.name}.norm1`, hh)), 1);
        return op.add(b.cin === b.cout ? v : conv(`${b.name}.skip`, v, 0), hh);
      }
      case 'attn':
        return op.add(v, attention(b.ch, v, norm(`${b.name}.norm`, v), (name, u) => conv(`${b.name}.${name}`, u, 0)));
      case 'down':
        return conv(`${b.name}.conv`, v, 1, 2);
      case 'up':
        return conv(`${b.name}.conv`, op.upsampleNearest(v, 2), 1);
    }
  };

  const { down, middle, up } = unetBlocks(spec);
  let hh = conv('in', x, 1);
  const skips = [hh];
  for (const b of down) skips.push((hh = run(b, hh)));
  for (const b of middle) hh = run(b, hh);
  for (const b of up) hh = run(b, b.kind === 'res' && b.skipIn ? op.concat([hh, skips.pop()!], 1) : hh);
  return conv('out', op.silu(norm('out.norm', hh)), 1);
}

/** One-head self-attention over the positions of hn [N, C, H, W]; returns the projected update. */
function attention(ch: number, v: Value, hn: Value, conv1: (name: string, u: Value) => Value): Value {
  const [, , h, w] = v.shape as number[];
  const qkv = conv1('qkv', hn);
  const part = (k: number) => op.reshape(op.slice(qkv, [k * ch], [(k + 1) * ch], [1]), [0, ch, h * w]);
  const [q, k, val] = [part(0), part(1), part(2)];
  // scores[n, i, j] = q_i . k_j / sqrt(C); out[n, c, i] = sum_j val[n, c, j] att[n, i, j]
  const scores = op.mul(op.matmul(op.transpose(q, [0, 2, 1]), k), 1 / Math.sqrt(ch));
  const att = op.softmax(scores, -1);
  const out = op.matmul(val, op.transpose(att, [0, 2, 1]));
  return conv1('proj', op.reshape(out, [0, ch, h, w]));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** FLOPs of one forward pass per sample (multiply-adds counted as 2), convolutions and attention products only. */
export function unetForwardFlopsPerSample(spec: UnetSpec): number {
  const { down, middle, up } = unetBlocks(spec);
  let f = 0;
  let size = spec.height * spec.width;
  const conv = (cin: number, cout: number, k: number, pixels: number) => (f += 2 * cin * cout * k * k * pixels);
  conv(spec.channels, spec.baseChannels, 3, size);
  for (const b of [...down, ...middle, ...up]) {
    if (b.kind === 'res') {
      conv(b.cin, b.cout, 3, size);
      conv(b.cout, b.cout, 3, size);
      if (b.cin !== b.cout) conv(b.cin, b.cout, 1, size);
    } else if (b.kind === 'attn') {
      conv(b.ch, 4 * b.ch, 1, size);
      f += 4 * size * size * b.ch;
    } else if (b.kind === 'down') {
      size /= 4;
      conv(b.ch, b.ch, 3, size);
    } else {
      size *= 4;
      conv(b.ch, b.ch, 3, size);
    }
  }
  conv(spec.baseChannels * spec.channelMults[0], spec.channels, 3, size);
  return f;
}
