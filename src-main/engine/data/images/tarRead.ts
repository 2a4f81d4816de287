/**
 * The regular files of a tar archive (POSIX ustar and GNU tar, as `tar czf` writes), optionally
 * gzipped: 512-byte headers (name at 0, octal size at 124, type flag at 156, ustar prefix at 345,
 * checksum at 148) each followed by the file rounded up to 512 bytes; two zero blocks end it.
 * GNU long names ('L' entries) are followed. The archive is read whole: CIFAR-10's is 163 MB
 * gzipped, 178 MB unpacked, and its batches are kept as views into that buffer.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../../errors.js';
import { fileReadError } from '../fileErrors.js';

const BLOCK = 512;
const latin1 = new TextDecoder('latin1');

export interface TarEntry {
  /** Path inside the archive. */
  name: string;
  data: Uint8Array;
}

const field = (b: Uint8Array, at: number, len: number) => {
  const s = b.subarray(at, at + len);
  const end = s.indexOf(0);
  return latin1.decode(end < 0 ? s : s.subarray(0, end));
};
const octal = (b: Uint8Array, at: number, len: number) => parseInt(field(b, at, len).trim() || '0', 8);

/** Reads `path` (.tar, .tar.gz or .tgz: gzip is recognised by its magic bytes 1f 8b). */
export function readTar(path: string): TarEntry[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fileReadError(path, e);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new UserError(`${path}: the gzip data is damaged (${(e as Error).message}); download the archive again`);
    }
  }
  return parseTar(bytes, path);
}

export function parseTar(bytes: Uint8Array, source: string): TarEntry[] {
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | null = null;
  while (pos + BLOCK <= bytes.length) {
    const h = bytes.subarray(pos, pos + BLOCK);
    if (h.every((b) => b === 0)) break; // end of archive
    // Checksum: the sum of the header's bytes with the checksum field read as spaces.
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (sum !== octal(h, 148, 8)) throw new UserError(`${source}: not a tar archive, or a damaged one (bad header checksum at byte ${pos}); download it again`);
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const prefix = latin1.decode(h.subarray(257, 263)).startsWith('ustar') ? field(h, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    const start = pos + BLOCK;
    if (start + size > bytes.length) throw new UserError(`${source}: the archive is cut short inside ${name}; download it again`);
    const data = bytes.subarray(start, start + size);
    longName = null;
    if (type === 'L') longName = field(data, 0, size);
    else if (type === '0' || type === '7') entries.push({ name, data });
    pos = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
