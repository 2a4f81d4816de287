/**
 * How a run's training steps execute, behind one interface. Four runners:
 *  - 'loop':     the fused program's ONNX Loop runs any number of steps per call; the state is
 *                fed from the host and read back each call (trainSession.ts; the CPU's runner);
 *  - 'unrolled': the same steps written out in pieces of UNROLL_STEPS, no Loop (ONNX Runtime's GPU
 *                providers have no Loop kernel), state fed from the host (trainSession.ts);
 *  - 'device':   the unrolled pieces with the parameters, Adam moments and EMA kept in device
 *                buffers between calls; only losses and gradient norms reach the host each call
 *                (deviceState.ts);
 *  - 'image':    one U-Net step per call on a batch the host gathers (imageTrainSession.ts).
 * On one backend the MLP runners run the same ops in the same order and give the same bits.
 * Which one a run gets is `chooseRunner`'s answer (engine/calibration.ts): the fastest one the
 * machine's calibration measured for the backend and the net's size bucket.
 */
import type { ExperimentConfig } from '../../api/config.js';
import type { LearnedCoefficients } from '../interpolants/learned.js';
import type { Interpolant } from '../interpolants/schedules.js';
import type { MlpSpec } from '../nets/mlp.js';
import type { Backend } from '../onnx/runtime.js';
import { DeviceStateTrainer } from './deviceState.js';
import { TrainSession, UNROLL_STEPS, type ChunkResult, type TrainState } from './trainSession.js';

export const RUNNER_KINDS = ['loop', 'unrolled', 'device', 'image'] as const;
export type RunnerKind = (typeof RUNNER_KINDS)[number];
/** The runners of the fused MLP program (the image trainer has one). */
export const MLP_RUNNERS: readonly RunnerKind[] = ['loop', 'unrolled', 'device'];

export interface StepRunner {
  readonly kind: RunnerKind;
  /** The step the state is at. */
  readonly step: number;
  /** Runs k steps from the current state; returns each step's loss and gradient norm. */
  advance(k: number): Promise<ChunkResult>;
  /** The state on the host (checkpoints, previews); a device runner reads it back. */
  readState(): Promise<TrainState>;
  /** Replaces the state (a resumed run's checkpoint, or another runner's state). */
  writeState(s: TrainState): Promise<void>;
  /** Returns to the state before the last `advance` (a chunk that diverged). */
  undo(): Promise<void>;
  /** A learned interpolant's coefficients for the following steps (runners built with `learned`). */
  setCoefficients?(c: LearnedCoefficients): void;
  dispose(): Promise<void>;
}

/** A copy of a state, so that a runner's later steps cannot touch it. */
export function copyState(s: TrainState): TrainState {
  return { step: s.step, params: s.params.slice(), m: s.m.slice(), v: s.v.slice(), ema: s.ema.slice() };
}

/** A runner of the fused MLP training program, of the given kind. */
export async function createMlpRunner(
  kind: RunnerKind,
  o: { config: ExperimentConfig; net: MlpSpec; interpolant: Interpolant; data: Float32Array; base?: Float32Array | null; state: TrainState; backend: Backend; threads: number; learned?: LearnedCoefficients },
): Promise<StepRunner> {
  const common = { config: o.config, net: o.net, interpolant: o.interpolant, data: o.data, base: o.base ?? null, state: o.state, backend: o.backend, threads: o.threads, ...(o.learned ? { learned: o.learned } : {}) };
  if (kind === 'device') return DeviceStateTrainer.create(common);
  if (kind === 'loop') return TrainSession.create({ ...common, unroll: 0 });
  if (kind === 'unrolled') return TrainSession.create({ ...common, unroll: UNROLL_STEPS });
  throw new Error(`'${kind}' is not a runner of the MLP training program`);
}
