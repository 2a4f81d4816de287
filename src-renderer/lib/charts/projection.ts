/**
 * Two coordinates to draw of d-dimensional points: a pair of coordinates (x_i, x_j), or the
 * projection onto the first two principal components of a reference cloud (its mean removed).
 */

export type ProjectionChoice = { kind: 'pair'; i: number; j: number } | { kind: 'pca' };

export interface Projection {
  /** Axis titles ("x1", "x3" or "PC1", "PC2"). */
  xTitle: string;
  yTitle: string;
  /** n x 2 of the n x d row-major `data`. */
  apply(data: Float32Array, n: number, d: number): Float32Array;
}

/** Power-iteration sweeps for each principal component: converges far past plotting accuracy. */
const POWER_ITERATIONS = 100;

/** Every coordinate pair of d dimensions, then PCA: the choices offered for d > 2. */
export function projectionChoices(d: number): { value: string; label: string; choice: ProjectionChoice }[] {
  const out: { value: string; label: string; choice: ProjectionChoice }[] = [
    { value: 'pca', label: 'PCA: first two principal components', choice: { kind: 'pca' } },
  ];
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) out.push({ value: `${i},${j}`, label: `x${i + 1} against x${j + 1}`, choice: { kind: 'pair', i, j } });
  }
  return out;
}

export function pairProjection(i: number, j: number): Projection {
  return {
    xTitle: `x${i + 1}`,
    yTitle: `x${j + 1}`,
    apply(data, n, d) {
      const out = new Float32Array(n * 2);
      for (let k = 0; k < n; k++) {
        out[2 * k] = data[k * d + i];
        out[2 * k + 1] = d > j ? data[k * d + j] : 0;
      }
      return out;
    },
  };
}

/**
 * Mean and the first two principal directions (unit vectors) of a cloud, by power iteration on
 * its covariance with deflation: d is small (a handful of columns), so a d x d matrix is cheap.
 */
export function principalAxes(data: Float32Array, n: number, d: number): { mean: Float64Array; axes: Float64Array[] } {
  const mean = new Float64Array(d);
  let count = 0;
  for (let k = 0; k < n; k++) {
    if (!rowFinite(data, k, d)) continue;
    count++;
    for (let a = 0; a < d; a++) mean[a] += data[k * d + a];
  }
  for (let a = 0; a < d; a++) mean[a] /= Math.max(count, 1);
  const cov = new Float64Array(d * d);
  for (let k = 0; k < n; k++) {
    if (!rowFinite(data, k, d)) continue;
    for (let a = 0; a < d; a++) {
      const da = data[k * d + a] - mean[a];
      for (let b = 0; b < d; b++) cov[a * d + b] += da * (data[k * d + b] - mean[b]);
    }
  }
  const axes: Float64Array[] = [];
  for (let c = 0; c < Math.min(2, d); c++) {
    let v = new Float64Array(d).map((_, a) => 1 / Math.sqrt(d) + (a === c ? 0.5 : 0));
    for (let it = 0; it < POWER_ITERATIONS; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) w[a] += cov[a * d + b] * v[b];
      for (const u of axes) {
        const dot = w.reduce((s, x, a) => s + x * u[a], 0);
        for (let a = 0; a < d; a++) w[a] -= dot * u[a];
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      v = w.map((x) => x / norm);
    }
    axes.push(v);
  }
  return { mean, axes };
}

export function pcaProjection(reference: { data: Float32Array; n: number; d: number }): Projection {
  const { mean, axes } = principalAxes(reference.data, reference.n, reference.d);
  return {
    xTitle: 'PC1',
    yTitle: 'PC2',
    apply(data, n, d) {
      const out = new Float32Array(n * 2);
      for (let k = 0; k < n; k++) {
        for (let c = 0; c < 2; c++) {
          let s = 0;
          const u = axes[c];
          if (u) for (let a = 0; a < d; a++) s += (data[k * d + a] - mean[a]) * u[a];
          out[2 * k + c] = s;
        }
      }
      return out;
    },
  };
}

export function projectionOf(choice: ProjectionChoice, reference: { data: Float32Array; n: number; d: number }): Projection {
  return choice.kind === 'pca' ? pcaProjection(reference) : pairProjection(choice.i, choice.j);
}

function rowFinite(data: Float32Array, k: number, d: number): boolean {
  for (let a = 0; a < d; a++) if (!Number.isFinite(data[k * d + a])) return false;
  return true;
}
