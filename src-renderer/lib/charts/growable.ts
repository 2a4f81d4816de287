/**
 * A growing (step, value) series for a live chart: appends amortised O(1) into Float64Arrays
 * that double when full, so 100k steps never mean 100k reallocations.
 */
export class GrowableSeries {
  x = new Float64Array(1024);
  y = new Float64Array(1024);
  length = 0;

  static from(x: ArrayLike<number>, y: ArrayLike<number>): GrowableSeries {
    const s = new GrowableSeries();
    s.append(x, y);
    return s;
  }

  append(x: ArrayLike<number>, y: ArrayLike<number | null>): void {
    const n = x.length;
    if (this.length + n > this.x.length) {
      let cap = this.x.length;
      while (cap < this.length + n) cap *= 2;
      const nx = new Float64Array(cap);
      const ny = new Float64Array(cap);
      nx.set(this.x.subarray(0, this.length));
      ny.set(this.y.subarray(0, this.length));
      this.x = nx;
      this.y = ny;
    }
    for (let i = 0; i < n; i++) {
      // A step reported again (a resumed run rewinding to its checkpoint) replaces the tail.
      if (this.length > 0 && x[i] <= this.x[this.length - 1]) this.length = this.rewindTo(x[i]);
      this.x[this.length] = x[i];
      this.y[this.length] = y[i] ?? Number.NaN;
      this.length++;
    }
  }

  /** Index of the first kept point with x >= step (binary search over the sorted steps). */
  private rewindTo(step: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.x[mid] < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Last finite value, or null. */
  last(): number | null {
    for (let i = this.length - 1; i >= 0; i--) if (Number.isFinite(this.y[i])) return this.y[i];
    return null;
  }
}
