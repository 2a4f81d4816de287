/**
 * Training with the state on the device: the unrolled training program's parameters, Adam
 * moments and EMA stay in GPU buffers between calls (onnxruntime-node's `preferredOutputLocation:
 * 'gpu-buffer'`), and only the losses and gradient norms come to the host each call.
 *
 * What onnxruntime-node 1.30 does on the WebGPU provider (bench/flowlab/gpuBuffers.ts, on
 * Mesa's lavapipe): outputs come back as 'gpu-buffer' tensors and feed back as inputs, and the
 * same program gives the same losses bit for bit as with host state; but `getData()` on such a
 * tensor aborts the whole process (SIGABRT from native code). So the state is read back by a
 * second session that takes the four device tensors and returns them on the host (`readState`).
 */
import type { ExperimentConfig } from '../../api/config.js';
import { Graph } from '../onnx/graph.js';
import { add } from '../onnx/ops/index.js';
import { createSession, ort, type Backend } from '../onnx/runtime.js';
import { serializeModel } from '../onnx/serialize.js';
import type { Interpolant } from '../interpolants/schedules.js';
import type { LearnedCoefficients } from '../interpolants/learned.js';
import { paramLayout, type MlpSpec } from '../nets/mlp.js';
import { SCHED_COLUMNS, stepKeys, stepSchedule } from './stepInputs.js';
import { buildTrainProgram, type TrainProgramSpec } from './trainProgram.js';
import type { Coupling } from './otCoupling.js';
import type { StepRunner } from './stepRunner.js';
import { UNROLL_STEPS, type ChunkResult, type TrainState } from './trainSession.js';

const STATE = ['params', 'm', 'v', 'ema'] as const;
type StateTensors = Record<(typeof STATE)[number], ort.Tensor>;

/** x + 0 per state vector: a real node, so the output is a fresh host tensor, not the input passed through. */
function readbackProgram(P: number): Uint8Array {
  const g = new Graph('readback');
  const outs: Record<string, ReturnType<typeof add>> = {};
  for (const n of STATE) outs[`${n}_host`] = add(g.input(n, 'float32', [P]), 0);
  g.setNamedOutputs(outs);
  return serializeModel(g);
}

const coefficientTensor = (c: LearnedCoefficients) => new ort.Tensor('float32', Float32Array.from([...c.alpha, ...c.beta]), [c.alpha.length + c.beta.length]);
const hostTensors = (s: TrainState): StateTensors => {
  const vec = (a: Float32Array) => new ort.Tensor('float32', a.slice(), [a.length]);
  return { params: vec(s.params), m: vec(s.m), v: vec(s.v), ema: vec(s.ema) };
};
const release = (t: StateTensors | null) => {
  if (t) for (const n of STATE) if (t[n].location === 'gpu-buffer') t[n].dispose();
};

/** The 'device' step runner (stepRunner.ts). */
export class DeviceStateTrainer implements StepRunner {
  readonly kind = 'device' as const;
  /** Programs by step count: unrollSteps, and shorter pieces for a chunk's remainder, built when first needed. */
  private readonly pieces = new Map<number, Promise<ort.InferenceSession>>();
  /** The state before the last `advance`, kept on the device until the next one (see `undo`). */
  private previous: { tensors: StateTensors; step: number } | null = null;

  private constructor(
    private readonly build: (unroll: number) => Promise<ort.InferenceSession>,
    private readonly readback: ort.InferenceSession,
    readonly unrollSteps: number,
    private readonly P: number,
    private readonly config: ExperimentConfig,
    private readonly fixedFeeds: Record<string, ort.Tensor>,
    private tensors: StateTensors,
    /** The step the device state is at. */
    public step: number,
  ) {}

  static async create(opts: {
    config: ExperimentConfig;
    net: MlpSpec;
    interpolant: Interpolant;
    data: Float32Array;
    /** A data-to-data run's base points (default: the standard Gaussian). */
    base?: Float32Array | null;
    state: TrainState;
    backend: Backend;
    threads: number;
    unroll?: number;
    coupling?: Coupling;
    learned?: LearnedCoefficients;
  }): Promise<DeviceStateTrainer> {
    const { config, net, backend } = opts;
    if (backend === 'cpu') throw new Error('device-resident training state needs a GPU backend');
    const P = paramLayout(net).total;
    if (opts.state.params.length !== P) throw new Error(`checkpoint has ${opts.state.params.length} parameters, the net needs ${P}`);
    const unroll = opts.unroll ?? UNROLL_STEPS;
    const d = net.dim;
    const base = opts.base ?? null;
    const spec: TrainProgramSpec = {
      net,
      interpolant: opts.interpolant,
      batch: config.train.batch,
      nData: opts.data.length / d,
      nBase: base ? base.length / d : null,
      optim: config.train,
      timeSampling: config.train.timeSampling ?? 'uniform',
      coupling: opts.coupling ?? config.train.coupling ?? 'independent',
      ...(opts.learned ? { learnedTerms: opts.learned.alpha.length } : {}),
    };
    const where = Object.fromEntries([...STATE.map((n) => [`${n}_out`, 'gpu-buffer']), ['losses', 'cpu'], ['grad_norms', 'cpu']]) as Record<string, ort.Tensor.DataLocation>;
    const build = (k: number) =>
      ort.InferenceSession.create(buildTrainProgram({ ...spec, unroll: k }), {
        executionProviders: [backend],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        preferredOutputLocation: where,
      });
    const readback = await createSession(readbackProgram(P), { backend, threads: opts.threads });
    const feeds: Record<string, ort.Tensor> = { data: new ort.Tensor('float32', opts.data, [opts.data.length / d, d]) };
    if (base) feeds.base = new ort.Tensor('float32', base, [base.length / d, d]);
    if (opts.learned) feeds.coefficients = coefficientTensor(opts.learned);
    const t = new DeviceStateTrainer(build, readback, unroll, P, config, feeds, hostTensors(opts.state), opts.state.step);
    t.pieces.set(unroll, build(unroll));
    await t.pieces.get(unroll);
    return t;
  }

  setCoefficients(c: LearnedCoefficients): void {
    if (!this.fixedFeeds.coefficients) throw new Error('setCoefficients needs a runner created with a learned interpolant');
    this.fixedFeeds.coefficients = coefficientTensor(c);
  }

  /** Runs k steps in calls of unrollSteps (a shorter last piece has its own program); only the losses and gradient norms reach the host. */
  async advance(k: number): Promise<ChunkResult> {
    release(this.previous?.tensors ?? null);
    this.previous = { tensors: this.tensors, step: this.step };
    const losses = new Float32Array(k);
    const gradNorms = new Float32Array(k);
    for (let done = 0; done < k; ) {
      const K = Math.min(this.unrollSteps, k - done);
      let piece = this.pieces.get(K);
      if (!piece) this.pieces.set(K, (piece = this.build(K)));
      const out = await (await piece).run({
        ...this.fixedFeeds,
        ...this.tensors,
        keys: new ort.Tensor('uint32', stepKeys(this.config.train.seed, this.step, K), [K]),
        sched: new ort.Tensor('float32', stepSchedule(this.config.train, this.step, K), [K, SCHED_COLUMNS]),
      });
      // Free the intermediate states' device buffers now rather than at garbage collection (the
      // chunk's starting state stays for `undo`).
      if (done > 0) release(this.tensors);
      this.tensors = { params: out.params_out, m: out.m_out, v: out.v_out, ema: out.ema_out };
      losses.set(out.losses.data as Float32Array, done);
      gradNorms.set(out.grad_norms.data as Float32Array, done);
      this.step += K;
      done += K;
    }
    return { losses, gradNorms };
  }

  /** The state on the host (checkpoints, previews), read through the readback session. */
  async readState(): Promise<TrainState> {
    const out = await this.readback.run(this.tensors);
    const get = (n: string) => out[`${n}_host`].data as Float32Array;
    return { step: this.step, params: get('params'), m: get('m'), v: get('v'), ema: get('ema') };
  }

  async writeState(s: TrainState): Promise<void> {
    if (s.params.length !== this.P) throw new Error(`the state has ${s.params.length} parameters, the net needs ${this.P}`);
    release(this.tensors);
    release(this.previous?.tensors ?? null);
    this.previous = null;
    this.tensors = hostTensors(s);
    this.step = s.step;
  }

  async undo(): Promise<void> {
    if (!this.previous) throw new Error('nothing to undo: no steps since the state was set');
    release(this.tensors);
    ({ tensors: this.tensors, step: this.step } = this.previous);
    this.previous = null;
  }

  async release(): Promise<void> {
    release(this.tensors);
    release(this.previous?.tensors ?? null);
    this.previous = null;
    for (const p of this.pieces.values()) await (await p).release();
    await this.readback.release();
  }

  dispose(): Promise<void> {
    return this.release();
  }
}
