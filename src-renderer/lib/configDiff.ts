/** The config rows that differ between runs, for the compare page. */

/** { net: { width: 64 } } -> { 'net.width': 64 }. */
export function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}

export interface DiffRow {
  key: string;
  values: unknown[];
  differs: boolean;
}

/** Every key of any config, sorted, with each config's value and whether they disagree. */
export function configDiff(configs: readonly unknown[]): DiffRow[] {
  const flat = configs.map((c) => flatten(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  return keys.map((key) => {
    const values = flat.map((f) => f[key]);
    const first = JSON.stringify(values[0]);
    return { key, values, differs: values.some((v) => JSON.stringify(v) !== first) };
  });
}
