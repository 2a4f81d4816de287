/**
 * CIFAR-10's python-format batches, as downloaded from https://www.cs.toronto.edu/~kriz/cifar.html:
 * `cifar-10-python.tar.gz` (or its unpacked .tar), or one of its batch files (data_batch_1..5,
 * test_batch). Each batch is a pickled dict {b'data': uint8 array [10000, 3072], b'labels': [10000
 * ints], ...}; a row holds the 1024 red, then green, then blue values of a 32 x 32 image, row by
 * row: exactly [3, 32, 32]. batches.meta names the classes. CIFAR-100's 'fine_labels' are read too.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../../../errors.js';
import { fileReadError } from '../fileErrors.js';
import { type ImageDataset, checkImageDataset } from './imageDataset.js';
import { checkImageMemory } from './memoryLimit.js';
import { PyArray, type PyValue, readPickle } from './pickle.js';
import { readTar } from './tarRead.js';

const SIDE = 32;
const CHANNELS = 3;
const VALUES = CHANNELS * SIDE * SIDE;

export type CifarPart = 'train' | 'test' | 'all';

export interface CifarOptions {
  /** From an archive: the training batches (data_batch_*, the default), test_batch, or all. */
  part?: CifarPart;
  maxBytes?: number;
}

interface Batch {
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** True for the names CIFAR's archive and batch files have. */
export function isCifarPath(path: string): boolean {
  const name = basename(path).toLowerCase();
  return /\.(tar\.gz|tgz|tar)$/.test(name) || /^(data_batch_\d+|test_batch|train|test)$/.test(name);
}

function decodeBatch(bytes: Uint8Array, source: string): Batch {
  const root = readPickle(bytes, source);
  if (!(root instanceof Map)) throw new UserError(`${source}: the pickle holds no dict; give a CIFAR-10 batch file (data_batch_1, ...)`);
  const data = root.get('data');
  const labels = root.get('labels') ?? root.get('fine_labels');
  if (!(data instanceof PyArray)) throw new UserError(`${source}: no 'data' array in the batch; give a CIFAR-10 batch file (data_batch_1, ...)`);
  const descr = data.dtype?.descr;
  if (descr !== 'u1') throw new UserError(`${source}: 'data' has dtype ${descr}, not uint8; give CIFAR-10's original batches`);
  const n = data.shape[0];
  const per = data.shape.slice(1).reduce((a, b) => a * b, 1);
  if (per !== VALUES || data.data.length !== n * VALUES) {
    throw new UserError(`${source}: 'data' has shape (${data.shape.join(', ')}), not (N, 3072) of 3 x 32 x 32 images`);
  }
  if (!Array.isArray(labels) || labels.length !== n || !labels.every((k: PyValue) => typeof k === 'number' && k >= 0 && k < 256)) {
    throw new UserError(`${source}: 'labels' is not a list of ${n} class numbers`);
  }
  return { pixels: data.data, labels: Uint8Array.from(labels as number[]) };
}

function labelNames(bytes: Uint8Array, source: string): string[] | undefined {
  const meta = readPickle(bytes, source);
  const names = meta instanceof Map ? (meta.get('label_names') ?? meta.get('fine_label_names')) : undefined;
  if (!Array.isArray(names)) return undefined;
  return names.map((s) => (s instanceof Uint8Array ? new TextDecoder('latin1').decode(s) : String(s)));
}

export function loadCifar(path: string, options: CifarOptions = {}): ImageDataset {
  const part = options.part ?? 'train';
  const name = basename(path);
  const isArchive = /\.(tar\.gz|tgz|tar)$/i.test(name);
  const batches: Batch[] = [];
  let classNames: string[] | undefined;
  if (isArchive) {
    const entries = readTar(path);
    const wanted = (base: string) =>
      (part !== 'test' && /^data_batch_\d+$/.test(base)) || (part !== 'train' && base === 'test_batch');
    const chosen = entries.filter((e) => wanted(basename(e.name))).sort((a, b) => a.name.localeCompare(b.name));
    if (chosen.length === 0) {
      throw new UserError(`${path}: no CIFAR-10 ${part === 'test' ? 'test_batch' : 'data_batch_*'} file in the archive; give cifar-10-python.tar.gz`);
    }
    for (const e of chosen) batches.push(decodeBatch(e.data, `${path}:${e.name}`));
    const meta = entries.find((e) => basename(e.name) === 'batches.meta');
    if (meta) classNames = labelNames(meta.data, `${path}:${meta.name}`);
  } else {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw fileReadError(path, e);
    }
    batches.push(decodeBatch(bytes, path));
  }
  const n = batches.reduce((s, b) => s + b.labels.length, 0);
  checkImageMemory(path, n, CHANNELS, SIDE, SIDE, options.maxBytes);
  const pixels = new Uint8Array(n * VALUES);
  const labels = new Uint8Array(n);
  let at = 0;
  for (const b of batches) {
    pixels.set(b.pixels, at * VALUES);
    labels.set(b.labels, at);
    at += b.labels.length;
  }
  const ds: ImageDataset = { name, source: path, pixels, n, c: CHANNELS, h: SIDE, w: SIDE, labels };
  if (classNames) ds.classNames = classNames;
  return checkImageDataset(ds);
}
