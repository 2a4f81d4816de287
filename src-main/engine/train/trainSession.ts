/**
 * A training program bound to an ONNX Runtime session and the run's state: parameters, Adam
 * moments and EMA as flat Float32 vectors, and the step counter. `advance(k)` runs k fused steps
 * and returns their losses; the state arrays are replaced by the program's outputs.
 */
import type { ExperimentConfig } from '../config.js';
import { createSession, ort, type Backend } from '../onnx/runtime.js';
import type { Interpolant } from '../interpolants/schedules.js';
import { initParams, paramLayout, type MlpSpec } from '../nets/mlp.js';
import { SCHED_COLUMNS, stepKeys, stepSchedule } from './stepInputs.js';
import { buildTrainProgram, type LossAndGrads } from './trainProgram.js';

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

export class TrainSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly config: ExperimentConfig,
    private readonly fixedFeeds: Record<string, ort.Tensor>,
    public state: TrainState,
  ) {}

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
  }): Promise<TrainSession> {
    const { config, net } = opts;
    const d = net.dim;
    const P = paramLayout(net).total;
    if (opts.state.params.length !== P) throw new Error(`checkpoint has ${opts.state.params.length} parameters, the net needs ${P}`);
    const model = buildTrainProgram({
      net,
      interpolant: opts.interpolant,
      batch: config.train.batch,
      nData: opts.data.length / d,
      nBase: opts.base ? opts.base.length / d : null,
      optim: config.train,
      timeSampling: config.train.timeSampling ?? 'uniform',
      lossAndGrads: opts.lossAndGrads,
    });
    const session = await createSession(model, { backend: opts.backend, threads: opts.threads, profilePrefix: opts.profilePrefix });
    const feeds: Record<string, ort.Tensor> = {
      data: new ort.Tensor('float32', opts.data, [opts.data.length / d, d]),
    };
    if (opts.base) feeds.base = new ort.Tensor('float32', opts.base, [opts.base.length / d, d]);
    return new TrainSession(session, config, feeds, opts.state);
  }

  /** Runs k steps from the current state; the state moves to step + k. */
  async advance(k: number): Promise<ChunkResult> {
    const s = this.state;
    const out = await this.session.run({
      ...this.fixedFeeds,
      params: vec(s.params),
      m: vec(s.m),
      v: vec(s.v),
      ema: vec(s.ema),
      trips: int64(k),
      keys: new ort.Tensor('uint32', stepKeys(this.config.train.seed, s.step, k), [k]),
      sched: new ort.Tensor('float32', stepSchedule(this.config.train, s.step, k), [k, SCHED_COLUMNS]),
    });
    this.state = {
      step: s.step + k,
      params: out.params_out.data as Float32Array,
      m: out.m_out.data as Float32Array,
      v: out.v_out.data as Float32Array,
      ema: out.ema_out.data as Float32Array,
    };
    return { losses: out.losses.data as Float32Array, gradNorms: out.grad_norms.data as Float32Array };
  }

  /** Ends an ONNX Runtime profile started with `profilePrefix` (the file is written then). */
  endProfiling(): void {
    this.session.endProfiling();
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
