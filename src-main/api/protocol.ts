/**
 * The job protocol between the application (server or Electron main) and an engine process. Both sides
 * use structured clone (child_process 'advanced' serialization, or Electron's utilityProcess
 * port), so Float32Arrays cross without copying into JSON.
 */
import type { ApiEvent } from './events.js';
import type { ApiErrorBody } from './contract.js';
import type { ExperimentConfigInput } from './config.js';
import type { ExportFormat, NoiseSpec, SampleDirection, SolverName } from './schemas.js';

export type JobRequest =
  | { kind: 'train'; config?: ExperimentConfigInput; resumeRunId?: string }
  | {
    kind: 'sample'; runId: string; n: number; solver: SolverName; steps?: number; snapshots?: number;
    direction?: SampleDirection; seed?: number; rtol?: number; atol?: number; sdeEps?: number; noise?: NoiseSpec; keep?: boolean;
  }
  /** Encode held-out images to the base and decode them back (cycle error). */
  | { kind: 'cycle'; runId: string; indices: number[]; solver: SolverName; steps?: number; rtol?: number; atol?: number }
  /** A row of samples along t with the velocity's magnitude per pixel. */
  | { kind: 'frames'; runId: string; n: number; seed?: number; solver: SolverName; steps?: number; frames: number }
  | { kind: 'velocity'; runId: string; t: number; points: Float32Array; n: number }
  /** The nearest training image of each of n images of an image run. */
  | { kind: 'nearest'; runId: string; x: Float32Array; n: number }
  | { kind: 'evaluate'; runId: string; n?: number; at?: number; nfe?: boolean }
  | { kind: 'export'; runId: string; format: ExportFormat; out: string }
  | { kind: 'backends' }
  /** Reads a data file off the door's thread: its size, first rows, (stats) column stats, hash. */
  | { kind: 'dataset'; path: string; rows: number; stats?: boolean }
  /** Real images of an image dataset, for the wizard's tiles. */
  | { kind: 'images'; spec: string; n: number; seed: number }
  /** Two measured training steps of a config: parameter count, memory and time per step. */
  | { kind: 'estimate'; config: ExperimentConfigInput };

export type JobKind = JobRequest['kind'];

export type ControlAction = 'pause' | 'unpause' | 'stop';

export type ToEngine =
  | { type: 'job'; jobId: string; request: JobRequest }
  | { type: 'control'; jobId: string; action: ControlAction }
  | { type: 'shutdown' };

export type FromEngine =
  | { type: 'ready'; pid: number }
  | { type: 'event'; jobId: string; event: ApiEvent }
  | { type: 'result'; jobId: string; result: unknown }
  | { type: 'error'; jobId: string; error: ApiErrorBody };

/** The environment variable that tells an engine process which data folder holds the store. */
export const DATA_DIR_ENV = 'FLOWLAB_DATA_DIR';
