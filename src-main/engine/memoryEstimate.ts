/**
 * What a job will hold in memory, estimated before it allocates, and the refusal when that is
 * more than a job may use (MAX_JOB_MEMORY_BYTES). Plain functions: the service calls them in
 * whichever door started the job. Messages name config fields and API arguments.
 */
import { MAX_JOB_MEMORY_BYTES } from '../api/limits.js';
import { UserError } from '../errors.js';

const FLOAT = 4;
/** Live arrays of a fixed-step solve besides its result: start, stages (RK4: 4), a chunk's scratch. */
const SOLVER_WORK_COPIES = 6;
/** Copies of the parameters a training holds: weights, gradient, Adam's two moments, the EMA. */
const PARAMETER_COPIES = 5;
/** Floats per hidden unit per batch row kept for the backward pass: pre-activation, activation, their gradients. */
const ACTIVATION_FLOATS = 4;

export interface MemoryEstimate {
  bytes: number;
  /** How the figure is made, in the job's own terms. */
  detail: string;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Samples: the result and working copies, and with a trajectory every step's state (n x d each). */
export function sampleMemory(o: { n: number; d: number; steps: number; trajectory: boolean }): MemoryEstimate {
  const states = (o.trajectory ? o.steps + 1 : 1) + SOLVER_WORK_COPIES;
  return {
    bytes: o.n * o.d * states * FLOAT,
    detail: o.trajectory
      ? `n ${count(o.n)} x d ${o.d} x ${count(o.steps + 1)} recorded states as float32`
      : `n ${count(o.n)} x d ${o.d} x ${states} working copies as float32`,
  };
}

/** Parameters of an MLP velocity net with inputs x (d) and Fourier features of t. */
export function mlpParameters(o: { d: number; width: number; depth: number; timeFrequencies: number }): number {
  const inputs = o.d + 1 + 2 * o.timeFrequencies;
  return inputs * o.width + o.width + (o.depth - 1) * (o.width * o.width + o.width) + o.width * o.d + o.d;
}

/** A training: parameter copies, activations of a batch, and the dataset held as float32. */
export function trainingMemory(o: {
  d: number; width: number; depth: number; timeFrequencies: number; batch: number; rows: number;
}): MemoryEstimate {
  const params = mlpParameters(o);
  const activations = o.batch * o.width * o.depth * ACTIVATION_FLOATS;
  const data = o.rows * o.d;
  return {
    bytes: (params * PARAMETER_COPIES + activations + data) * FLOAT,
    detail: `${count(params)} parameters x ${PARAMETER_COPIES} copies, batch ${count(o.batch)} x width ${o.width} x depth ${o.depth} activations, ${count(o.rows)} rows x ${count(o.d)} columns of data`,
  };
}

/** An evaluation: its n points and as many model draws, with working copies, at dimension d. */
export function evaluationMemory(o: { n: number; d: number }): MemoryEstimate {
  const copies = 2 + SOLVER_WORK_COPIES;
  return { bytes: o.n * o.d * copies * FLOAT, detail: `n ${count(o.n)} x d ${count(o.d)} x ${copies} copies as float32` };
}

/** Throws a UserError with the estimate and how to reduce it when it is over the limit. */
export function checkMemory(what: string, estimate: MemoryEstimate, howToReduce: string, limit = MAX_JOB_MEMORY_BYTES): void {
  if (estimate.bytes <= limit) return;
  throw new UserError(
    `${what} would need about ${formatBytes(estimate.bytes)} (${estimate.detail}), more than the ${formatBytes(limit)} a job may use; ${howToReduce}`,
  );
}
