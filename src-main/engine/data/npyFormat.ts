/**
 * The NPY header, shared by reader and writer (numpy's format, versions 1.0, 2.0, 3.0):
 *
 *   "\x93NUMPY" major minor  header_len (uint16 LE in 1.0, uint32 LE in 2.0/3.0)  header  data
 *
 * The header is a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }
 * padded with spaces and a final '\n' so the data starts at a multiple of NPY_ALIGN bytes.
 */

export const NPY_MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
/** numpy aligns the start of the data to 64 bytes (its ARRAY_ALIGN) since 1.14. */
export const NPY_ALIGN = 64;
/** numpy leaves room for a first axis of up to 21 digits, so a growing file's header can be rewritten in place. */
export const NPY_GROWTH_AXIS_MAX_DIGITS = 21;

/** numpy's names for dtype codes, for error messages: ('i', 8) -> 'int64'. */
export function dtypeName(kind: string, size: number): string {
  const names: Record<string, string> = { i: 'int', u: 'uint', f: 'float', c: 'complex' };
  if (kind === 'b') return 'bool';
  if (kind === 'O') return 'object (Python objects)';
  if (kind === 'U') return 'unicode string';
  if (kind === 'S') return 'bytes';
  if (kind in names) return `${names[kind]}${size * 8}`;
  return `'${kind}${size}'`;
}
