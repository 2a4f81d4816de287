/**
 * v and div v of a trained net as a `VelocityDivFn` for the likelihood integrator: the
 * divergence program run in chunks of rows (padded to a fixed size, so one session serves all).
 */
import { UserError } from '../../errors.js';
import { createSession, ort, type Backend } from '../onnx/runtime.js';
import { netDim, rowsPerCall, type NetSpec } from '../nets/velocityNet.js';
import { buildDivergenceProgram } from './divergenceProgram.js';
import { makeProbes, type ProbeKind } from './hutchinson.js';
import type { VelocityDivFn } from './types.js';

/** Exact divergence costs d forward+backward passes per point: exact by default up to this d. */
export const EXACT_DIVERGENCE_MAX_DIM = 16;
/** Rows per divergence call (times d or K copies inside the program). */
export const DIVERGENCE_CHUNK = 2048;

export interface DivergenceOptions {
  /** 0 = exact divergence; K > 0 = Hutchinson with K probes. */
  probes: number;
  probeKind?: ProbeKind;
  seed?: number;
  backend: Backend;
  threads: number;
}

export async function netDivergence(net: NetSpec, params: Float32Array, o: DivergenceOptions): Promise<{ fn: VelocityDivFn; release: () => Promise<void> }> {
  if (!Number.isInteger(o.probes) || o.probes < 0) throw new UserError(`--hutchinson needs a whole number of probes >= 1, got ${o.probes}`);
  const d = netDim(net);
  let session: ort.InferenceSession | null = null;
  let rows = 0;
  const paramsT = new ort.Tensor('float32', params, [params.length]);
  const probes = new Map<number, ort.Tensor>();
  const fn: VelocityDivFn = async (t, x, n) => {
    if (!session) {
      rows = Math.min(n, rowsPerCall(net, DIVERGENCE_CHUNK));
      session = await createSession(buildDivergenceProgram({ net, n: rows, probes: o.probes }), { backend: o.backend, threads: o.threads });
    }
    const v = new Float32Array(n * d);
    const div = new Float32Array(n);
    for (let start = 0; start < n; start += rows) {
      const count = Math.min(rows, n - start);
      const chunk = new Float32Array(rows * d);
      for (let i = 0; i < count * d; i++) chunk[i] = x[start * d + i];
      const feeds: Record<string, ort.Tensor> = {
        params: paramsT,
        x: new ort.Tensor('float32', chunk, [rows, d]),
        t: new ort.Tensor('float32', Float32Array.of(t), []),
      };
      if (o.probes > 0) {
        // The same probes at every time of a solve (as FFJORD does): the estimated field stays
        // smooth in t, so the adaptive solver's error control is not fooled by probe noise.
        let p = probes.get(start);
        if (!p) {
          p = new ort.Tensor('float32', makeProbes(o.probeKind ?? 'rademacher', o.probes, rows, d, ((o.seed ?? 0) + start) >>> 0), [o.probes, rows, d]);
          probes.set(start, p);
        }
        feeds.probes = p;
      }
      const out = await session.run(feeds);
      v.set((out.v.data as Float32Array).subarray(0, count * d), start * d);
      div.set((out.div.data as Float32Array).subarray(0, count), start);
    }
    return { v, div };
  };
  return { fn, release: async () => void (session && (await (session as ort.InferenceSession).release())) };
}
