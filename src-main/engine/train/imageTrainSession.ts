/**
 * The image training program bound to a session, the run's state and its images. Each call's
 * batches are gathered and dequantised on the host (the images stay uint8 in memory: a 10k-image
 * set is never sent to the program whole), from FlowLab's counter-based generator:
 *   rows of step s:   row_i = floor(u_i n),  u_i = bitsToUniform(hashBits(streamKey(seed, IMAGE_BATCH_STREAM, s), i))
 *   pixels of step s: x = 2 (k + u)/256 - 1 with u keyed by (seed, s) (data/images/dequantize.ts)
 * and t, x0, z drawn in the program from streamKey(seed, TRAIN_STREAM, s): every draw depends on
 * (seed, step) alone, so a resumed run continues bit for bit.
 */
import type { ExperimentConfig } from '../../api/config.js';
import { dequantizeRows, type ImageDataset } from '../data/images/index.js';
import { dataStream } from '../data/streams.js';
import type { Interpolant } from '../interpolants/schedules.js';
import { netDim, netInitParams, netParamCount, type NetSpec } from '../nets/velocityNet.js';
import { cpuChannelBlock, createSession, ort, type Backend } from '../onnx/runtime.js';
import { withConvChannelBlock } from '../onnx/ops/nchwc.js';
import { bitsToUniform, hashBits, streamKey } from '../random.js';
import { buildImageTrainProgram } from './imageTrainProgram.js';
import { SCHED_COLUMNS, stepKeys, stepSchedule } from './stepInputs.js';
import { chunkFromOutputs, stateFeeds, type ChunkResult, type TrainState } from './trainSession.js';
import type { StepRunner } from './stepRunner.js';
import { HostStateRunner } from './hostStateRunner.js';

/** Stream of the batch rows each step draws. */
export const IMAGE_BATCH_STREAM = dataStream('image batch rows');

/**
 * Steps per program call. A U-Net step is hundreds of ms, so a call's fixed cost (~1 ms) is
 * lost in it, while K steps per call send K batches and build a K-times larger program.
 * Measured on the default MNIST U-Net at batch 16, 2 threads, alternating runs at load average
 * 12.5 on 2 cores: median 0.49 s a step at one step per call and 0.49 s at two.
 */
export const IMAGE_STEPS_PER_CALL = 1;

export function initialImageState(net: NetSpec, seed: number): TrainState {
  const params = netInitParams(net, seed);
  const P = params.length;
  return { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() };
}

/** The dataset rows step `step` trains on. */
export function batchRows(seed: number, step: number, batch: number, n: number): Uint32Array {
  const key = streamKey(seed >>> 0, IMAGE_BATCH_STREAM, step >>> 0);
  const rows = new Uint32Array(batch);
  for (let i = 0; i < batch; i++) rows[i] = Math.min(n - 1, Math.floor(bitsToUniform(hashBits(key, i)) * n));
  return rows;
}

/** The 'image' step runner (stepRunner.ts): stepsPerCall U-Net steps per call on host-gathered batches. */
export class ImageTrainSession extends HostStateRunner implements StepRunner {
  readonly kind = 'image' as const;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly config: ExperimentConfig,
    private readonly images: ImageDataset,
    private readonly D: number,
    readonly stepsPerCall: number,
    state: TrainState,
  ) {
    super(state);
  }

  static async create(opts: {
    config: ExperimentConfig;
    net: NetSpec;
    interpolant: Interpolant;
    images: ImageDataset;
    state: TrainState;
    backend: Backend;
    threads: number;
    stepsPerCall?: number;
  }): Promise<ImageTrainSession> {
    const { config, net } = opts;
    const P = netParamCount(net);
    if (opts.state.params.length !== P) throw new Error(`checkpoint has ${opts.state.params.length} parameters, the net needs ${P}`);
    const D = netDim(net);
    const imageD = opts.images.c * opts.images.h * opts.images.w;
    if (imageD !== D) throw new Error(`images of ${imageD} values, the net takes ${D}`);
    const steps = opts.stepsPerCall ?? IMAGE_STEPS_PER_CALL;
    // On the CPU a U-Net's convolutions (and their gradients) use ONNX Runtime's blocked layout
    // (ops/nchwc.ts): 0.82x the step's time with the plain Conv.
    const block = opts.backend === 'cpu' && net.kind === 'unet' ? await cpuChannelBlock() : 0;
    const program = withConvChannelBlock(block, () =>
      buildImageTrainProgram({
        net,
        interpolant: opts.interpolant,
        batch: config.train.batch,
        optim: config.train,
        timeSampling: config.train.timeSampling ?? 'uniform',
        steps,
      }),
    );
    const session = await createSession(program, { backend: opts.backend, threads: opts.threads });
    return new ImageTrainSession(session, config, opts.images, D, steps, opts.state);
  }

  /** Runs k steps (in calls of stepsPerCall; a last shorter piece runs step by step). */
  async advance(k: number): Promise<ChunkResult> {
    this.previous = this.state;
    const losses = new Float32Array(k);
    const gradNorms = new Float32Array(k);
    for (let done = 0; done < k; done += this.stepsPerCall) {
      if (k - done < this.stepsPerCall) throw new Error(`advance(${k}) is not a multiple of ${this.stepsPerCall} steps per call`);
      const r = await this.run();
      losses.set(r.losses, done);
      gradNorms.set(r.gradNorms, done);
    }
    return { losses, gradNorms };
  }

  private async run(): Promise<ChunkResult> {
    const s = this.state;
    const { seed, batch } = this.config.train;
    const K = this.stepsPerCall;
    const x1 = new Float32Array(K * batch * this.D);
    for (let j = 0; j < K; j++) {
      const rows = batchRows(seed, s.step + j, batch, this.images.n);
      dequantizeRows(this.images, rows, { seed, counter: s.step + j }, x1.subarray(j * batch * this.D, (j + 1) * batch * this.D));
    }
    const out = await this.session.run({
      ...stateFeeds(s),
      keys: new ort.Tensor('uint32', stepKeys(seed, s.step, K), [K]),
      sched: new ort.Tensor('float32', stepSchedule(this.config.train, s.step, K), [K, SCHED_COLUMNS]),
      x1: new ort.Tensor('float32', x1, [K, batch, this.D]),
    });
    const { state, result } = chunkFromOutputs(out, s.step, K);
    this.state = state;
    return result;
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  dispose(): Promise<void> {
    return this.release();
  }
}
