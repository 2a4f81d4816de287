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
import { paramLayout, type MlpSpec } from '../nets/mlp.js';
import { SCHED_COLUMNS, stepKeys, stepSchedule } from './stepInputs.js';
import { buildTrainProgram } from './trainProgram.js';
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

export class DeviceStateTrainer {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly readback: ort.InferenceSession,
    readonly unrollSteps: number,
    private readonly config: ExperimentConfig,
    private readonly data: ort.Tensor,
    private tensors: StateTensors,
    /** The step the device state is at. */
    public step: number,
  ) {}

  static async create(opts: {
    config: ExperimentConfig;
    net: MlpSpec;
    interpolant: Interpolant;
    data: Float32Array;
    state: TrainState;
    backend: Backend;
    threads: number;
    unroll?: number;
  }): Promise<DeviceStateTrainer> {
    const { config, net, backend } = opts;
    if (backend === 'cpu') throw new Error('device-resident training state needs a GPU backend');
    const P = paramLayout(net).total;
    if (opts.state.params.length !== P) throw new Error(`checkpoint has ${opts.state.params.length} parameters, the net needs ${P}`);
    const unroll = opts.unroll ?? UNROLL_STEPS;
    const program = buildTrainProgram({
      net,
      interpolant: opts.interpolant,
      batch: config.train.batch,
      nData: opts.data.length / net.dim,
      nBase: null,
      optim: config.train,
      timeSampling: config.train.timeSampling ?? 'uniform',
      unroll,
    });
    const where = Object.fromEntries([...STATE.map((n) => [`${n}_out`, 'gpu-buffer']), ['losses', 'cpu'], ['grad_norms', 'cpu']]) as Record<string, ort.Tensor.DataLocation>;
    const session = await ort.InferenceSession.create(program, {
      executionProviders: [backend],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      preferredOutputLocation: where,
    });
    const readback = await createSession(readbackProgram(P), { backend, threads: opts.threads });
    const s = opts.state;
    const vec = (a: Float32Array) => new ort.Tensor('float32', a.slice(), [P]);
    const data = new ort.Tensor('float32', opts.data, [opts.data.length / net.dim, net.dim]);
    return new DeviceStateTrainer(session, readback, unroll, config, data, { params: vec(s.params), m: vec(s.m), v: vec(s.v), ema: vec(s.ema) }, s.step);
  }

  /** Runs k steps (a multiple of unrollSteps); only the losses and gradient norms reach the host. */
  async advance(k: number): Promise<ChunkResult> {
    const K = this.unrollSteps;
    if (k % K) throw new Error(`advance(${k}) is not a multiple of ${K} steps per call`);
    const losses = new Float32Array(k);
    const gradNorms = new Float32Array(k);
    for (let done = 0; done < k; done += K) {
      const out = await this.session.run({
        data: this.data,
        ...this.tensors,
        keys: new ort.Tensor('uint32', stepKeys(this.config.train.seed, this.step, K), [K]),
        sched: new ort.Tensor('float32', stepSchedule(this.config.train, this.step, K), [K, SCHED_COLUMNS]),
      });
      // Free the previous state's device buffers now rather than at garbage collection.
      for (const n of STATE) if (this.tensors[n].location === 'gpu-buffer') this.tensors[n].dispose();
      this.tensors = { params: out.params_out, m: out.m_out, v: out.v_out, ema: out.ema_out };
      losses.set(out.losses.data as Float32Array, done);
      gradNorms.set(out.grad_norms.data as Float32Array, done);
      this.step += K;
    }
    return { losses, gradNorms };
  }

  /** The state on the host (checkpoints, previews), read through the readback session. */
  async readState(): Promise<TrainState> {
    const out = await this.readback.run(this.tensors);
    const get = (n: string) => out[`${n}_host`].data as Float32Array;
    return { step: this.step, params: get('params'), m: get('m'), v: get('v'), ema: get('ema') };
  }

  async release(): Promise<void> {
    for (const n of STATE) if (this.tensors[n].location === 'gpu-buffer') this.tensors[n].dispose();
    await this.session.release();
    await this.readback.release();
  }
}
