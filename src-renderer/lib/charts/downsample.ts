/**
 * Min-max downsampling for line charts: split the points into `buckets` equal index ranges and
 * keep, from each, the index of its lowest and of its highest value, in their original order.
 * A chart drawn through those indices shows every spike and dip of the full series (its
 * envelope is exact at bucket resolution) from at most 2 * buckets points, so 100k-step curves
 * stay fast. Indices (not values) are returned so a smoothed curve can be drawn at the same
 * steps as the raw one. Non-finite values (a diverged step) are skipped.
 */
export function minMaxIndices(y: ArrayLike<number>, length: number, buckets: number): Uint32Array {
  if (!(buckets >= 1)) throw new Error(`buckets must be >= 1, got ${buckets}`);
  if (length <= 2 * buckets) {
    const keep: number[] = [];
    for (let i = 0; i < length; i++) if (Number.isFinite(y[i])) keep.push(i);
    return Uint32Array.from(keep);
  }
  const out = new Uint32Array(2 * buckets);
  let k = 0;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * length) / buckets);
    const end = Math.floor(((b + 1) * length) / buckets);
    let iMin = -1;
    let iMax = -1;
    for (let i = start; i < end; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) continue;
      if (iMin < 0 || v < y[iMin]) iMin = i;
      if (iMax < 0 || v > y[iMax]) iMax = i;
    }
    if (iMin < 0) continue;
    out[k++] = Math.min(iMin, iMax);
    if (iMax !== iMin) out[k++] = Math.max(iMin, iMax);
  }
  return out.slice(0, k);
}

/** values[indices[i]] for each i, as plain numbers (NaN stays NaN). */
export function gather(values: ArrayLike<number>, indices: Uint32Array): number[] {
  const out = new Array<number>(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
}
