/**
 * Sampling with a trained velocity net: fixed-step solvers run as fused ONNX programs (one
 * session call per chunk of rows), Dormand-Prince drives the `velocity` program from TypeScript.
 * Generation integrates from t = 0 (base) to tMax; encoding (reverse) from tMax back to 0. The SDE
 * samplers `em` and `sde-heun` (sde.ts; Gaussian base only) run as fused programs too, their noise
 * keyed by a seed and the chunk, so a seed reproduces a sample set.
 */
import { UserError } from '../../errors.js';
import { cpuChannelBlock, createSession, ort, type Backend } from '../onnx/runtime.js';
import { withConvChannelBlock } from '../onnx/ops/nchwc.js';
import type { Interpolant } from '../interpolants/schedules.js';
import { checkSdeSetup, isSdeMethod, SDE_METHODS, SDE_STAGES, type SdeMethod } from './sde.js';
import { buildSdeProgram, sdeKeys } from './sdeProgram.js';
import { netDim, rowsPerCall, type NetSpec } from '../nets/velocityNet.js';
import { integrateDopri5, DEFAULT_ATOL, DEFAULT_RTOL } from './dopri5.js';
import { buildFixedSolverProgram } from './fusedProgram.js';
import { SOLVERS, stagesOf, type FixedMethod, type SolverName } from './rungeKutta.js';
import type { VelocityFn } from './types.js';
import { buildVelocityProgram } from './velocityProgram.js';

export { SOLVERS, type SolverName } from './rungeKutta.js';

/** Every sampler: the ODE solvers and the SDE samplers. */
export type SampleMethod = SolverName | SdeMethod;
export const SAMPLE_METHODS: readonly SampleMethod[] = [...SOLVERS, ...SDE_METHODS];

/** Rows per fused solver call: big enough to keep the MatMuls efficient, small enough for memory. */
export const CHUNK_ROWS = 16384;

export interface SolveOptions {
  solver: SampleMethod;
  /**
   * The SDE samplers' setting: constant eps >= 0 (tapered near t = 1, sde.ts; 0 is the ODE), the
   * run's interpolant (for the score) and the seed of the noise. Required for `em` and `sde-heun`.
   */
  sde?: { eps: number; interpolant: Interpolant; seed: number };
  /** Fixed-step solvers: number of steps. */
  steps?: number;
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  t0: number;
  t1: number;
  /** Record the state after every step (fixed-step solvers) for trajectory views. */
  snapshots?: boolean;
  /** Fixed-step solvers: called after each chunk of CHUNK_ROWS rows with the rows done so far. */
  onRows?: (done: number, total: number) => void;
}

export interface SolveResult {
  x: Float32Array;
  nfe: number;
  /** States after each step, [steps][n * d], when asked for. */
  trajectory?: Float32Array[];
}

export const DEFAULT_SAMPLE_STEPS = 50;

export class NetSampler {
  private readonly fixed = new Map<string, Promise<ort.InferenceSession>>();
  private readonly sde = new Map<string, Promise<ort.InferenceSession>>();
  private velocitySession: Promise<ort.InferenceSession> | null = null;
  private readonly paramsTensor: ort.Tensor;

  constructor(
    readonly net: NetSpec,
    params: Float32Array,
    readonly backend: Backend,
    readonly threads: number,
  ) {
    this.paramsTensor = new ort.Tensor('float32', params, [params.length]);
  }

  /**
   * A session for a program `build` writes. A U-Net's convolutions on the CPU are written in
   * ONNX Runtime's blocked layout (ops/nchwc.ts: its fast kernels; 0.82x the U-Net step's time).
   */
  private async session(build: () => Uint8Array): Promise<ort.InferenceSession> {
    const block = this.backend === 'cpu' && this.net.kind === 'unet' ? await cpuChannelBlock() : 0;
    return createSession(withConvChannelBlock(block, build), { backend: this.backend, threads: this.threads });
  }

  private fixedSession(method: FixedMethod, n: number, snapshots: boolean): Promise<ort.InferenceSession> {
    const key = `${method}:${n}:${snapshots}`;
    let s = this.fixed.get(key);
    if (!s) {
      s = this.session(() => buildFixedSolverProgram({ net: this.net, method, n, snapshots }));
      this.fixed.set(key, s);
    }
    return s;
  }

  private sdeSession(method: SdeMethod, interpolant: Interpolant, n: number, snapshots: boolean): Promise<ort.InferenceSession> {
    const key = `${method}:${interpolant.name}:${n}:${snapshots}`;
    let s = this.sde.get(key);
    if (!s) {
      s = this.session(() => buildSdeProgram({ net: this.net, method, interpolant, n, snapshots }));
      this.sde.set(key, s);
    }
    return s;
  }

  /** v(t, x) through the `velocity` program: one call = 1 NFE. */
  velocity(): VelocityFn {
    const d = netDim(this.net);
    return async (t, x, n) => {
      if (!this.velocitySession) this.velocitySession = this.session(() => buildVelocityProgram(this.net));
      const s = await this.velocitySession;
      const xs = x instanceof Float32Array ? x : Float32Array.from(x);
      const out = await s.run({
        x: new ort.Tensor('float32', xs, [n, d]),
        t: new ort.Tensor('float32', new Float32Array(n).fill(t), [n, 1]),
        params: this.paramsTensor,
      });
      return out.v.data as Float32Array;
    };
  }

  async solve(x0: Float32Array, n: number, o: SolveOptions): Promise<SolveResult> {
    const d = netDim(this.net);
    if (x0.length !== n * d) throw new Error(`solve: x0 has ${x0.length} values, expected ${n} x ${d}`);
    if (o.solver === 'dopri5') {
      const r = await integrateDopri5(this.velocity(), x0, n, d, {
        t0: o.t0,
        t1: o.t1,
        rtol: o.rtol ?? DEFAULT_RTOL,
        atol: o.atol ?? DEFAULT_ATOL,
        maxSteps: o.maxSteps,
      });
      return { x: Float32Array.from(r.x), nfe: r.nfe };
    }
    const steps = o.steps ?? DEFAULT_SAMPLE_STEPS;
    if (!Number.isInteger(steps) || steps < 1) throw new UserError(`--steps must be a positive whole number, got ${steps}`);
    const rows = Math.min(n, rowsPerCall(this.net, CHUNK_ROWS));
    const sde = isSdeMethod(o.solver) ? o.sde : null;
    if (isSdeMethod(o.solver)) {
      if (!sde) throw new UserError(`the ${o.solver} sampler needs its eps, the run's interpolant and a seed`);
      checkSdeSetup(sde.interpolant, sde.eps, o.t0, o.t1);
    }
    const session = isSdeMethod(o.solver) ? await this.sdeSession(o.solver, sde!.interpolant, rows, !!o.snapshots) : await this.fixedSession(o.solver, rows, !!o.snapshots);
    const out = new Float32Array(n * d);
    const trajectory = o.snapshots ? Array.from({ length: steps }, () => new Float32Array(n * d)) : undefined;
    const h = (o.t1 - o.t0) / steps;
    for (let start = 0; start < n; start += rows) {
      const count = Math.min(rows, n - start);
      const chunk = new Float32Array(rows * d);
      chunk.set(x0.subarray(start * d, (start + count) * d));
      const noise: Record<string, ort.Tensor> = sde
        ? { eps: new ort.Tensor('float32', Float32Array.of(sde.eps), []), keys: new ort.Tensor('uint32', sdeKeys(sde.seed, start / rows, steps), [steps]) }
        : {};
      const res = await session.run({
        params: this.paramsTensor,
        x: new ort.Tensor('float32', chunk, [rows, d]),
        t0: new ort.Tensor('float32', Float32Array.of(o.t0), []),
        h: new ort.Tensor('float32', Float32Array.of(h), []),
        steps: new ort.Tensor('int64', BigInt64Array.of(BigInt(steps)), []),
        ...noise,
      });
      out.set((res.x_out.data as Float32Array).subarray(0, count * d), start * d);
      o.onRows?.(start + count, n);
      if (trajectory) {
        const traj = res.traj.data as Float32Array;
        for (let k = 0; k < steps; k++) trajectory[k].set(traj.subarray(k * rows * d, k * rows * d + count * d), start * d);
      }
    }
    // NFE counts velocity evaluations of one batched trajectory, as for dopri5.
    return { x: out, nfe: steps * (isSdeMethod(o.solver) ? SDE_STAGES[o.solver] : stagesOf(o.solver)), trajectory };
  }

  async release(): Promise<void> {
    for (const s of [...this.fixed.values(), ...this.sde.values()]) await (await s).release();
    if (this.velocitySession) await (await this.velocitySession).release();
  }
}
