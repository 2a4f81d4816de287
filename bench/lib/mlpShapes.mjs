// The default velocity net's sizes and the matrix products one training step performs, so the
// benchmarks count FLOPs one way everywhere.
//
//   layers: [d + 1 + 2F, width x depth, d] = [11, 256, 256, 256, 2] for d = 2, F = 4
//   FLOPs of one step = 6 * batch * sum over layers of (in * out)
//     (forward y = x W: 2 per multiply-add; backward dX = dY W^T and dW = X^T dY: 4 more)

export const DEFAULT_NET = { dim: 2, width: 256, depth: 3, timeFrequencies: 4 };

export function layerSizes(net = DEFAULT_NET) {
  return [net.dim + 1 + 2 * net.timeFrequencies, ...Array(net.depth).fill(net.width), net.dim];
}

/** sum over layers of in * out. */
export function macsPerSample(net = DEFAULT_NET) {
  const s = layerSizes(net);
  let macs = 0;
  for (let i = 0; i + 1 < s.length; i++) macs += s[i] * s[i + 1];
  return macs;
}

export function trainFlopsPerStep(batch, net = DEFAULT_NET) {
  return 6 * batch * macsPerSample(net);
}

/**
 * The [m, k, n] products of one training step at this batch: per layer the forward x W
 * [B, in] x [in, out], the input gradient dY W^T [B, out] x [out, in] (all but the first layer,
 * whose input needs no gradient) and the weight gradient X^T dY [in, B] x [B, out].
 */
export function trainStepMatmuls(batch, net = DEFAULT_NET) {
  const s = layerSizes(net);
  const out = [];
  for (let i = 0; i + 1 < s.length; i++) {
    const [fin, fout] = [s[i], s[i + 1]];
    out.push([batch, fin, fout]);
    if (i > 0) out.push([batch, fout, fin]);
    out.push([fin, batch, fout]);
  }
  return out;
}

export const shapeKey = ([m, k, n]) => `${m}x${k}x${n}`;
