/**
 * Drawn samples as the files the export panel saves: CSV (a header x1..xd, then one row per point,
 * each value with the fewest digits that read back as the same float32) and NPY 1.0 bytes as
 * numpy.save writes them (engine/data/npyWrite.ts is the reference; a test compares the two).
 */

/** The shortest decimal that rounds back to the same float32. */
function float32Text(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

export function samplesCsv(x: Float32Array, n: number, d: number): Uint8Array {
  const lines = [Array.from({ length: d }, (_, j) => `x${j + 1}`).join(',')];
  for (let i = 0; i < n; i++) {
    const cells = new Array<string>(d);
    for (let j = 0; j < d; j++) cells[j] = float32Text(x[i * d + j]);
    lines.push(cells.join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
/** numpy aligns the data to 64 bytes and leaves room for the first axis to grow to 21 digits. */
const NPY_ALIGN = 64;
const NPY_GROWTH_DIGITS = 21;
const NPY_PREFIX = 10;

export function samplesNpy(x: Float32Array, n: number, d: number): Uint8Array {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${d}), }`;
  dict += ' '.repeat(Math.max(0, NPY_GROWTH_DIGITS - String(n).length));
  const pad = NPY_ALIGN - ((NPY_PREFIX + dict.length + 1) % NPY_ALIGN);
  const header = dict + ' '.repeat(pad) + '\n';
  const start = NPY_PREFIX + header.length;
  const out = new Uint8Array(start + 4 * n * d);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[NPY_PREFIX + k] = header.charCodeAt(k);
  for (let k = 0; k < n * d; k++) view.setFloat32(start + 4 * k, x[k], true);
  return out;
}
