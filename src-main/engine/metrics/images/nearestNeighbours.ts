/**
 * Nearest training image of each query image (the memorization check): the L2 distance in the
 * pixel scale [0, 1],
 *
 *   dist(q) = min_j |q - t_j|,   |q - t|^2 = |q|^2 + |t|^2 - 2 q . t.
 *
 * The products q . t come from one float32 MatMul per chunk of queries in ONNX Runtime; that
 * expansion loses digits to cancellation, so it only shortlists: every training image within a
 * rounding margin of the approximate minimum is measured again exactly (float64 differences), and
 * the smallest exact distance wins. A training image queried against its own set is at distance 0.
 */
import { Graph } from '../../onnx/graph.js';
import * as op from '../../onnx/ops/index.js';
import { createSession, ort } from '../../onnx/runtime.js';
import { serializeModel } from '../../onnx/serialize.js';

/** Queries per MatMul: a 500 x 9000 float32 product is 18 MB. */
const QUERY_CHUNK = 500;
/**
 * Relative rounding margin of the float32 expansion: a D-term float32 dot product errs by at most
 * about D 2^-24 |q| |t| (D = 784: 4.7e-5); 1e-4 of |q|^2 + |t|^2 covers it.
 */
const SHORTLIST_MARGIN = 1e-4;

export interface NearestResult {
  /** Exact L2 distance to the nearest training image, per query. */
  distance: Float64Array;
  /** Index of that training image. */
  index: Uint32Array;
}

/** Nearest of `train` [N, D] for each row of `queries` [n, D] (both pixel scale, row-major). */
export async function nearestTraining(queries: Float32Array, train: Float32Array, D: number, threads = 2): Promise<NearestResult> {
  const n = queries.length / D;
  const N = train.length / D;
  if (!Number.isInteger(n) || !Number.isInteger(N) || N < 1) throw new Error(`nearestTraining: ${queries.length} and ${train.length} values are not whole rows of ${D}`);
  const trainT = new Float32Array(D * N);
  for (let j = 0; j < N; j++) for (let k = 0; k < D; k++) trainT[k * N + j] = train[j * D + k];
  const trainSq = rowSquares(train, D);
  const querySq = rowSquares(queries, D);
  let maxTrainSq = 0;
  for (const s of trainSq) maxTrainSq = Math.max(maxTrainSq, s);

  const g = new Graph('nearest');
  const q = g.input('q', 'float32', ['n', D]);
  const tT = g.input('tT', 'float32', [D, N]);
  g.setNamedOutputs({ dots: op.matmul(q, tT) });
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads });
  const tTensor = new ort.Tensor('float32', trainT, [D, N]);
  const distance = new Float64Array(n);
  const index = new Uint32Array(n);
  try {
    for (let i0 = 0; i0 < n; i0 += QUERY_CHUNK) {
      const m = Math.min(QUERY_CHUNK, n - i0);
      const chunk = queries.subarray(i0 * D, (i0 + m) * D);
      const out = await session.run({ q: new ort.Tensor('float32', chunk, [m, D]), tT: tTensor });
      const dots = out.dots.data as Float32Array;
      for (let r = 0; r < m; r++) {
        const i = i0 + r;
        let best = Infinity;
        for (let j = 0; j < N; j++) best = Math.min(best, querySq[i] + trainSq[j] - 2 * dots[r * N + j]);
        const cut = best + SHORTLIST_MARGIN * (querySq[i] + maxTrainSq);
        let exact = Infinity;
        let arg = 0;
        for (let j = 0; j < N; j++) {
          if (querySq[i] + trainSq[j] - 2 * dots[r * N + j] > cut) continue;
          const d2 = squaredDistance(queries, i * D, train, j * D, D);
          if (d2 < exact) [exact, arg] = [d2, j];
        }
        distance[i] = Math.sqrt(exact);
        index[i] = arg;
      }
    }
  } finally {
    await session.release();
  }
  return { distance, index };
}

function rowSquares(x: Float32Array, D: number): Float64Array {
  const out = new Float64Array(x.length / D);
  for (let i = 0; i < out.length; i++) out[i] = squaredDistance(x, i * D, null, 0, D);
  return out;
}

/** |a_row - b_row|^2 in float64 (|a_row|^2 when b is null). */
function squaredDistance(a: Float32Array, ao: number, b: Float32Array | null, bo: number, D: number): number {
  let s = 0;
  for (let k = 0; k < D; k++) {
    const d = a[ao + k] - (b ? b[bo + k] : 0);
    s += d * d;
  }
  return s;
}

/** Median of the values (the mean of the middle two for an even count). */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}
