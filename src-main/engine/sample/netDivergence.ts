/**
 * v and div v of a trained net as a `VelocityDivFn` for the likelihood integrator: the
 * divergence program run in chunks of rows (padded to a fixed size, so one session serves all).
 */
import { UserError } from '../../errors.js';
import { createSession, ort, type Backend } from '../onnx/runtime.js';
import { netDim, rowsPerCall, type NetSpec } from '../nets/velocityNet.js';
import { buildDivergenceProgram } from './divergenceProgram.js';
import { makeProbes, type ProbeKind } from './hutchinson.js';
import type { VelocityDivFn, VelocityJacFn } from './types.js';

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

/**
 * Runs the divergence program over x [n, d] in chunks of `rows` (the last one padded), creating
 * the session on the first call; `extra(start)` adds feeds per chunk (Hutchinson's probes) and
 * `outputs` names the per-row outputs and their widths, which come back concatenated over chunks.
 */
function chunkedProgram(
  net: NetSpec,
  params: Float32Array,
  o: { backend: Backend; threads: number; probes: number; jacobian?: boolean },
  outputs: Record<string, number>,
  extra?: (start: number, rows: number) => Record<string, ort.Tensor>,
) {
  const d = netDim(net);
  let session: ort.InferenceSession | null = null;
  let rows = 0;
  const paramsT = new ort.Tensor('float32', params, [params.length]);
  const run = async (t: number, x: ArrayLike<number>, n: number): Promise<Record<string, Float32Array>> => {
    if (!session) {
      rows = Math.min(n, rowsPerCall(net, DIVERGENCE_CHUNK));
      session = await createSession(buildDivergenceProgram({ net, n: rows, probes: o.probes, jacobian: o.jacobian }), { backend: o.backend, threads: o.threads });
    }
    const out = Object.fromEntries(Object.entries(outputs).map(([name, width]) => [name, new Float32Array(n * width)]));
    for (let start = 0; start < n; start += rows) {
      const count = Math.min(rows, n - start);
      const chunk = new Float32Array(rows * d);
      for (let i = 0; i < count * d; i++) chunk[i] = x[start * d + i];
      const feeds: Record<string, ort.Tensor> = {
        params: paramsT,
        x: new ort.Tensor('float32', chunk, [rows, d]),
        t: new ort.Tensor('float32', Float32Array.of(t), []),
        ...extra?.(start, rows),
      };
      const result = await session.run(feeds);
      for (const [name, width] of Object.entries(outputs)) {
        out[name].set((result[name].data as Float32Array).subarray(0, count * width), start * width);
      }
    }
    return out;
  };
  return { run, release: async () => void (session && (await (session as ort.InferenceSession).release())) };
}

export async function netDivergence(net: NetSpec, params: Float32Array, o: DivergenceOptions): Promise<{ fn: VelocityDivFn; release: () => Promise<void> }> {
  if (!Number.isInteger(o.probes) || o.probes < 0) throw new UserError(`--hutchinson needs a whole number of probes >= 1, got ${o.probes}`);
  const d = netDim(net);
  const probes = new Map<number, ort.Tensor>();
  const program = chunkedProgram(net, params, o, { v: d, div: 1 }, o.probes > 0
    ? (start, rows) => {
        // The same probes at every time of a solve (as FFJORD does): the estimated field stays
        // smooth in t, so the adaptive solver's error control is not fooled by probe noise.
        let p = probes.get(start);
        if (!p) {
          p = new ort.Tensor('float32', makeProbes(o.probeKind ?? 'rademacher', o.probes, rows, d, ((o.seed ?? 0) + start) >>> 0), [o.probes, rows, d]);
          probes.set(start, p);
        }
        return { probes: p };
      }
    : undefined);
  const fn: VelocityDivFn = async (t, x, n) => {
    const { v, div } = await program.run(t, x, n);
    return { v, div };
  };
  return { fn, release: program.release };
}

/**
 * v and its whole Jacobian dv/dx of a trained net as a `VelocityJacFn` (d reverse passes per
 * point, as the exact divergence): for the exact density of a k-step sampler (stepDensity.ts).
 */
export async function netJacobian(net: NetSpec, params: Float32Array, o: { backend: Backend; threads: number }): Promise<{ fn: VelocityJacFn; release: () => Promise<void> }> {
  const d = netDim(net);
  const program = chunkedProgram(net, params, { ...o, probes: 0, jacobian: true }, { v: d, jac: d * d });
  const fn: VelocityJacFn = async (t, x, n) => {
    const { v, jac } = await program.run(t, x, n);
    return { v, jac };
  };
  return { fn, release: program.release };
}
