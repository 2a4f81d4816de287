/**
 * Bits per dimension of 8-bit images from a flow's likelihood of their dequantised, [-1, 1]-scaled
 * values (SCIENCE.md section 7). Pixels k in {0..255} become y = (k + u)/256, u ~ U[0, 1)^D, and
 * x = 2 y - 1, so p_y(y) = 2^D p_x(x). The discrete model's P(k) is p_y integrated over the bin
 * of volume 256^-D, and by Jensen over u
 *
 *   -log P(k) = -log E_u[p_y(y)] + D ln 256 <= E_u[-log p_x(x)] - D ln 2 + D ln 256,
 *
 *   bits/dim = (NLL_x - D ln 2 + D ln 256) / (D ln 2) = NLL_x / (D ln 2) + 7,
 *
 * with NLL_x in nats per image (a mean over images and their dequantisation draws). The standard
 * error scales by the same 1/(D ln 2). The result bounds the discrete model's bits/dim from above.
 * With Hutchinson's divergence estimate each image's log p_x stays unbiased (the divergence enters
 * the integral linearly), and the probes' noise is part of the spread between images, so the
 * standard error of the per-image values covers it. `LikelihoodResult.bitsPerDim` of
 * likelihood.ts is NLL_x / (D ln 2) alone; for images use bitsPerDimFromNll(r.nll, r.nllStdErr, D).
 */
import { meanStdErr as meanAndStdErr } from '../meanStdErr.js';

/** log2(256) - log2(2): the dequantisation bins' width 1/256 and the [0, 1] -> [-1, 1] stretch. */
export const BITS_PER_DIM_OFFSET = Math.log2(256) - 1;

export interface BitsPerDim {
  bitsPerDim: number;
  stdErr: number;
}

/** Bits/dim from a mean NLL_x (nats per image of D values in [-1, 1]) and its standard error. */
export function bitsPerDimFromNll(nll: number, nllStdErr: number, D: number): BitsPerDim {
  if (!(Number.isInteger(D) && D > 0)) throw new Error(`bits/dim needs a whole number of dimensions, got ${D}`);
  const scale = 1 / (D * Math.LN2);
  return { bitsPerDim: nll * scale + BITS_PER_DIM_OFFSET, stdErr: nllStdErr * scale };
}

/**
 * Bits/dim from per-image log-likelihoods log p_x(x_i) in nats (e.g. `logLikelihood` of
 * likelihood.ts on dequantised held-out images): the mean of -log p_x and its standard error.
 */
export function bitsPerDim(logLikelihoods: ArrayLike<number>, D: number): BitsPerDim {
  const nll = Array.from(logLikelihoods, (l) => -l);
  const { mean, stdErr } = meanAndStdErr(nll);
  return bitsPerDimFromNll(mean, stdErr, D);
}
