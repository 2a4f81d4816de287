/**
 * A training program bound to an ONNX Runtime session and the run's state: parameters, Adam
 * moments and EMA as flat Float32 vectors, and the step counter. `advance(k)` runs k fused steps
 * and returns their losses; the state arrays are replaced by the program's outputs.
 *
 * On the CPU one program runs any k in a Loop. On a GPU backend the Loop would run on the CPU
 * with every step's state crossing to the host and back, so k runs as unrolled programs of at
 * most UNROLL_STEPS steps (built once per piece size). On one backend both give the same bits
 * (the same ops in the same order; checked on the CPU, where either can run).
 */
import type { ExperimentConfig } from '../../api/config.js';
import { createSession, ort, type Backend } from '../onnx/runtime.js';
import type { Interpolant } from '../interpolants/schedules.js';
import { initParams, paramLayout, type MlpSpec } from '../nets/mlp.js';
import { SCHED_COLUMNS, stepKeys, stepSchedule } from './stepInputs.js';
import { buildTrainProgram, type LossAndGrads, type TrainProgramSpec } from './trainProgram.js';
import type { Coupling } from './otCoupling.js';
import type { LearnedCoefficients } from '../interpolants/learned.js';
import type { RunnerKind, StepRunner } from './stepRunner.js';
import { HostStateRunner } from './hostStateRunner.js';

function coefficientTensor(c: LearnedCoefficients): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.from([...c.alpha, ...c.beta]), [c.alpha.length + c.beta.length]);
}

/**
 * Steps per unrolled program on GPU backends. On WebGPU over Mesa's software Vulkan device a
 * 2 x 32 net at batch 256, timed in alternating calls of 50 steps, trained at 85 steps/s with the
 * Loop, 139 in unrolled pieces of 10 and 153 in one piece of 50; building grows with the piece
 * (0.3 s for 10 steps, 2.1 s for 50). On the CPU the Loop is faster (2317 against 1884 steps/s),
 * so the CPU keeps it.
 */
export const UNROLL_STEPS = 10;

export interface TrainState {
  step: number;
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  ema: Float32Array;
}

export function initialState(net: MlpSpec, seed: number): TrainState {
  const params = initParams(net, seed);
  const P = params.length;
  return { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() };
}

export interface ChunkResult {
  losses: Float32Array;
  gradNorms: Float32Array;
}

const int64 = (x: number) => new ort.Tensor('int64', BigInt64Array.of(BigInt(x)), []);
const vec = (a: Float32Array) => new ort.Tensor('float32', a, [a.length]);

/** A training program's state inputs: parameters, Adam's moments and the EMA, flat. */
export function stateFeeds(s: TrainState): Record<string, ort.Tensor> {
  return { params: vec(s.params), m: vec(s.m), v: vec(s.v), ema: vec(s.ema) };
}

/** What a training program's outputs say after it ran `steps` steps from step `from`: the new state and each step's figures. */
export function chunkFromOutputs(out: ort.InferenceSession.OnnxValueMapType, from: number, steps: number): { state: TrainState; result: ChunkResult } {
  return {
    state: {
      step: from + steps,
      params: out.params_out.data as Float32Array,
      m: out.m_out.data as Float32Array,
      v: out.v_out.data as Float32Array,
      ema: out.ema_out.data as Float32Array,
    },
    result: { losses: out.losses.data as Float32Array, gradNorms: out.grad_norms.data as Float32Array },
  };
}

/** The 'loop' and 'unrolled' step runners (stepRunner.ts): the state is fed from the host each call. */
export class TrainSession extends HostStateRunner implements StepRunner {
  /** Unrolled programs by step count (GPU backends). */
  private readonly pieces = new Map<number, Promise<ort.InferenceSession>>();

  private constructor(
    /** The Loop program, or the UNROLL_STEPS-step unrolled one. */
    private readonly session: ort.InferenceSession,
    /** Steps per unrolled program; 0: the Loop program runs any count. */
    readonly unrollSteps: number,
    private readonly build: (unroll: number) => Promise<ort.InferenceSession>,
    private readonly config: ExperimentConfig,
    private readonly fixedFeeds: Record<string, ort.Tensor>,
    state: TrainState,
  ) {
    super(state);
    if (unrollSteps) this.pieces.set(unrollSteps, Promise.resolve(session));
  }

  static async create(opts: {
    config: ExperimentConfig;
    net: MlpSpec;
    interpolant: Interpolant;
    data: Float32Array;
    base: Float32Array | null;
    state: TrainState;
    backend: Backend;
    threads: number;
    /** Write an ONNX Runtime profile of the program with this file prefix (benchmarks). */
    profilePrefix?: string;
    /** Another way to form the loss and its gradients (the benchmarks' hand-written backward). */
    lossAndGrads?: LossAndGrads;
    /** Steps per unrolled program, or 0 for the Loop program (default: 0 on the CPU, UNROLL_STEPS elsewhere). */
    unroll?: number;
    /** How each batch's base and data points are paired (default: the config's train.coupling). */
    coupling?: Coupling;
    /** A learned interpolant's starting coefficients (its family is `learnedGraphInterpolant`); see `setCoefficients`. */
    learned?: LearnedCoefficients;
  }): Promise<TrainSession> {
    const { config, net } = opts;
    const d = net.dim;
    const P = paramLayout(net).total;
    if (opts.state.params.length !== P) throw new Error(`checkpoint has ${opts.state.params.length} parameters, the net needs ${P}`);
    const spec: TrainProgramSpec = {
      net,
      interpolant: opts.interpolant,
      batch: config.train.batch,
      nData: opts.data.length / d,
      nBase: opts.base ? opts.base.length / d : null,
      optim: config.train,
      timeSampling: config.train.timeSampling ?? 'uniform',
      lossAndGrads: opts.lossAndGrads,
      coupling: opts.coupling ?? config.train.coupling ?? 'independent',
      ...(opts.learned ? { learnedTerms: opts.learned.alpha.length } : {}),
    };
    const build = (unroll: number) =>
      createSession(buildTrainProgram(unroll ? { ...spec, unroll } : spec), { backend: opts.backend, threads: opts.threads, profilePrefix: opts.profilePrefix });
    const unrollSteps = opts.unroll ?? (opts.backend === 'cpu' ? 0 : UNROLL_STEPS);
    const feeds: Record<string, ort.Tensor> = {
      data: new ort.Tensor('float32', opts.data, [opts.data.length / d, d]),
    };
    if (opts.base) feeds.base = new ort.Tensor('float32', opts.base, [opts.base.length / d, d]);
    if (opts.learned) feeds.coefficients = coefficientTensor(opts.learned);
    return new TrainSession(await build(unrollSteps), unrollSteps, build, config, feeds, opts.state);
  }

  /** A learned interpolant's coefficients for the following steps (the program reads them as an input). */
  setCoefficients(c: LearnedCoefficients): void {
    if (!this.fixedFeeds.coefficients) throw new Error('setCoefficients needs a session created with a learned interpolant');
    this.fixedFeeds.coefficients = coefficientTensor(c);
  }

  get kind(): RunnerKind {
    return this.unrollSteps ? 'unrolled' : 'loop';
  }

  /** Runs k steps from the current state; the state moves to step + k. */
  async advance(k: number): Promise<ChunkResult> {
    this.previous = this.state;
    if (!this.unrollSteps) return this.run(this.session, k);
    const losses = new Float32Array(k);
    const gradNorms = new Float32Array(k);
    for (let done = 0; done < k; ) {
      const piece = Math.min(this.unrollSteps, k - done);
      let session = this.pieces.get(piece);
      if (!session) this.pieces.set(piece, (session = this.build(piece)));
      const r = await this.run(await session, piece);
      losses.set(r.losses, done);
      gradNorms.set(r.gradNorms, done);
      done += piece;
    }
    return { losses, gradNorms };
  }

  private async run(session: ort.InferenceSession, k: number): Promise<ChunkResult> {
    const s = this.state;
    const out = await session.run({
      ...this.fixedFeeds,
      ...stateFeeds(s),
      ...(this.unrollSteps ? {} : { trips: int64(k) }), // unrolled programs have no trips input
      keys: new ort.Tensor('uint32', stepKeys(this.config.train.seed, s.step, k), [k]),
      sched: new ort.Tensor('float32', stepSchedule(this.config.train, s.step, k), [k, SCHED_COLUMNS]),
    });
    const { state, result } = chunkFromOutputs(out, s.step, k);
    this.state = state;
    return result;
  }

  /** Ends an ONNX Runtime profile started with `profilePrefix` (the file is written then). */
  endProfiling(): void {
    this.session.endProfiling();
  }

  async release(): Promise<void> {
    for (const s of this.pieces.values()) await (await s).release();
    if (!this.unrollSteps) await this.session.release();
  }

  dispose(): Promise<void> {
    return this.release();
  }
}
