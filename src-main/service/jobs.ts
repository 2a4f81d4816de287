/**
 * The jobs queue: every training, sampling, evaluation and export runs in an engine process,
 * one job at a time per process. Trainings queue in their own lane (one process), so that
 * sampling, velocity fields and exports (the interactive lane, a second process) answer while
 * a long training runs. Door-agnostic: the door passes in how to start an engine process.
 */
import { UserError } from '../errors.js';
import type { ApiEvent } from '../api/events.js';
import type { ApiErrorBody } from '../api/contract.js';
import type { FailedJob, JobInfo } from '../api/schemas.js';
import type { ControlAction, FromEngine, JobKind, JobRequest, ToEngine } from '../api/protocol.js';

/** A running engine process, as the door started it (child_process.fork or utilityProcess). */
export interface EngineProcess {
  send(message: ToEngine): void;
  onMessage(handler: (message: FromEngine) => void): void;
  onExit(handler: (code: number | null) => void): void;
  kill(): void;
}

export type StartEngine = () => EngineProcess;

/** How long close() waits for an engine process to stop its jobs and exit (ms). */
const ENGINE_EXIT_GRACE_MS = 7000;

/**
 * Jobs that may wait in one lane. Past this a submit is refused: a client looping on a call
 * cannot grow the queue (and the memory behind it) without bound.
 */
export const MAX_WAITING_JOBS = 100;
/** How long a training that failed before its run existed stays listed with its reason (ms). */
export const FAILED_JOB_TTL_MS = 60 * 60 * 1000;
/** Failed jobs kept at most (the newest). */
const MAX_FAILED_JOBS = 50;

/** Jobs that can be cancelled while they run: the interactive lane's, which keep no state. */
const CANCELLABLE_RUNNING: readonly JobKind[] = ['sample', 'velocity', 'nearest', 'evaluate', 'dataset', 'backends', 'images', 'estimate', 'cycle', 'frames'];

/** A failed job's error, as the engine reported it. */
export class JobError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
    this.name = body.kind === 'user' ? 'UserError' : 'JobError';
  }
}

interface Job {
  jobId: string;
  kind: JobKind;
  request: JobRequest;
  name: string;
  runId: string | null;
  state: 'queued' | 'running' | 'paused';
  resolve(result: unknown): void;
  reject(err: Error): void;
}

type LaneName = 'train' | 'interactive';

function laneOf(kind: JobKind): LaneName {
  return kind === 'train' ? 'train' : 'interactive';
}

class Lane {
  readonly waiting: Job[] = [];
  current: Job | null = null;
  engine: EngineProcess | null = null;
  ready = false;
  exited: Promise<void> | null = null;
}

export interface JobQueueOptions {
  startEngine: StartEngine;
  /** Every engine event, and a 'jobs' event whenever the queue changes. */
  onEvent: (event: ApiEvent) => void;
  /** A training's engine process died under it: the run should be marked interrupted. */
  onRunLost?: (runId: string, reason: string) => void;
}

export class JobQueue {
  private readonly lanes: Record<LaneName, Lane> = { train: new Lane(), interactive: new Lane() };
  private nextId = 1;
  private closed = false;
  private failed: FailedJob[] = [];

  constructor(private readonly options: JobQueueOptions) {}

  /** Queues a job; `done` settles with its result. Position 0 = starts now. */
  submit(request: JobRequest, name: string): { jobId: string; position: number; done: Promise<unknown> } {
    if (this.closed) throw new Error('the job queue is closed');
    const lane = this.lanes[laneOf(request.kind)];
    if (lane.waiting.length >= MAX_WAITING_JOBS) {
      throw new UserError(
        `the queue already holds ${MAX_WAITING_JOBS} waiting ${laneOf(request.kind) === 'train' ? 'trainings' : 'jobs'}; wait for some to finish or cancel some, then try again`,
      );
    }
    const jobId = `j${this.nextId++}`;
    let resolve!: (r: unknown) => void;
    let reject!: (e: Error) => void;
    const done = new Promise<unknown>((res, rej) => { resolve = res; reject = rej; });
    const runId = request.kind === 'train' ? request.resumeRunId ?? null : request.kind === 'backends' || request.kind === 'dataset' || request.kind === 'images' || request.kind === 'estimate' ? null : request.runId;
    const position = lane.waiting.length + (lane.current ? 1 : 0);
    lane.waiting.push({ jobId, kind: request.kind, request, name, runId, state: 'queued', resolve, reject });
    this.pump(lane);
    this.announce();
    return { jobId, position, done };
  }

  /** Waiting, running and paused jobs: the training lane first, each lane in order. */
  list(): JobInfo[] {
    const out: JobInfo[] = [];
    for (const lane of [this.lanes.train, this.lanes.interactive]) {
      for (const job of lane.current ? [lane.current, ...lane.waiting] : lane.waiting) {
        out.push({ jobId: job.jobId, kind: job.kind, runId: job.runId, name: job.name, state: job.state });
      }
    }
    return out;
  }

  /** Trainings that failed before their run existed, newest last, for FAILED_JOB_TTL_MS. */
  listFailed(now = Date.now()): FailedJob[] {
    this.failed = this.failed.filter((f) => now - Date.parse(f.at) < FAILED_JOB_TTL_MS);
    return [...this.failed];
  }

  /**
   * Cancels a job. A waiting one is removed; a running training stops resumably (as train.stop);
   * a running sample, velocity field or evaluation ends at once: its engine process is ended and
   * the lane starts a fresh one for the next job. Ending the process, rather than asking it, is
   * what makes this prompt: a fused solver runs all its steps inside one ONNX Runtime call that
   * nothing can interrupt, and such jobs keep no state worth saving (the store's transactions
   * roll back whatever was half-written).
   */
  cancel(jobId: string): void {
    for (const lane of Object.values(this.lanes)) {
      const i = lane.waiting.findIndex((j) => j.jobId === jobId);
      if (i >= 0) {
        const [job] = lane.waiting.splice(i, 1);
        job.reject(new UserError(`job ${jobId} was cancelled before it started`));
        this.announce();
        return;
      }
      const job = lane.current;
      if (job?.jobId !== jobId) continue;
      if (job.kind === 'train') {
        lane.engine?.send({ type: 'control', jobId, action: 'stop' });
        return;
      }
      if (!CANCELLABLE_RUNNING.includes(job.kind)) {
        throw new UserError(`job ${jobId} (${job.kind}) is already writing its file and finishes in moments; it cannot be cancelled now`);
      }
      const engine = lane.engine;
      lane.engine = null;
      lane.ready = false;
      lane.exited = null;
      lane.current = null;
      engine?.kill();
      job.reject(new UserError(`job ${jobId} (${job.name}) was cancelled`));
      this.announce();
      this.pump(lane);
      return;
    }
    throw new UserError(`no job ${jobId} in the queue; list jobs to see the queue`);
  }

  /** Pause, unpause or stop the training of a run; stopping a queued one removes it. */
  control(runId: string, action: ControlAction): void {
    const lane = this.lanes.train;
    const job = lane.current;
    if (job && job.runId === runId) {
      lane.engine?.send({ type: 'control', jobId: job.jobId, action });
      if (action === 'pause') job.state = 'paused';
      if (action === 'unpause') job.state = 'running';
      this.announce();
      return;
    }
    const queued = lane.waiting.find((j) => j.runId === runId);
    if (queued && action === 'stop') return this.cancel(queued.jobId);
    throw new UserError(`run ${runId} is not training; only a running training can be paused or stopped`);
  }

  /** Stops every job (trainings stop resumably) and ends the engine processes. */
  async close(): Promise<void> {
    this.closed = true;
    const exits: Promise<void>[] = [];
    for (const lane of Object.values(this.lanes)) {
      for (const job of lane.waiting.splice(0)) job.reject(new Error('FlowLab is closing'));
      if (lane.engine && lane.exited) {
        lane.engine.send({ type: 'shutdown' });
        const engine = lane.engine;
        const timer = setTimeout(() => engine.kill(), ENGINE_EXIT_GRACE_MS);
        exits.push(lane.exited.finally(() => clearTimeout(timer)));
      }
    }
    await Promise.all(exits);
  }

  private pump(lane: Lane): void {
    if (lane.current || lane.waiting.length === 0 || this.closed) return;
    if (!lane.engine) this.start(lane);
    if (!lane.ready) return;
    const job = lane.waiting.shift()!;
    lane.current = job;
    job.state = 'running';
    lane.engine!.send({ type: 'job', jobId: job.jobId, request: job.request });
  }

  private start(lane: Lane): void {
    const engine = this.options.startEngine();
    lane.engine = engine;
    lane.ready = false;
    lane.exited = new Promise((resolve) => {
      engine.onExit((code) => {
        this.lost(lane, engine, code);
        resolve();
      });
    });
    engine.onMessage((m) => this.receive(lane, m));
  }

  private receive(lane: Lane, message: FromEngine): void {
    if (message.type === 'ready') {
      lane.ready = true;
      this.pump(lane);
      return;
    }
    const job = lane.current;
    if (!job || job.jobId !== message.jobId) return;
    if (message.type === 'event') {
      const e = message.event;
      if (e.type === 'started' && job.runId !== e.runId) {
        job.runId = e.runId;
        this.announce();
      } else if (e.type === 'paused' || e.type === 'resumed') {
        job.state = e.type === 'paused' ? 'paused' : 'running';
        this.announce();
      }
      this.options.onEvent(message.event);
      return;
    }
    lane.current = null;
    if (message.type === 'result') job.resolve(message.result);
    else {
      job.reject(message.error.kind === 'user' ? new UserError(message.error.message) : new JobError(message.error));
      if (job.kind === 'train' && !job.runId) this.failedBeforeRun(job, message.error.message);
    }
    this.announce();
    this.pump(lane);
  }

  private lost(lane: Lane, engine: EngineProcess, code: number | null): void {
    if (lane.engine !== engine) return;
    lane.engine = null;
    lane.ready = false;
    const job = lane.current;
    lane.current = null;
    if (job) {
      const reason = this.closed
        ? 'FlowLab closed before the job finished'
        : `the engine process ended unexpectedly (exit code ${code ?? 'none'})`;
      if (job.kind === 'train' && job.runId) this.options.onRunLost?.(job.runId, reason);
      if (job.kind === 'train' && job.runId) this.options.onEvent({ type: 'failed', runId: job.runId, reason });
      if (job.kind === 'train' && !job.runId) this.failedBeforeRun(job, reason);
      job.reject(new Error(reason));
      this.announce();
    }
    this.pump(lane);
  }

  /**
   * A training that failed before its run existed has no run page to show why: the reason goes
   * out as an event and stays listed a while, so a page that opens late still finds it.
   */
  private failedBeforeRun(job: Job, reason: string): void {
    const failed: FailedJob = { jobId: job.jobId, name: job.name, reason: firstLine(reason), at: new Date().toISOString() };
    this.failed = [...this.listFailed(), failed].slice(-MAX_FAILED_JOBS);
    this.options.onEvent({ type: 'jobFailed', ...failed });
  }

  private announce(): void {
    this.options.onEvent({ type: 'jobs', jobs: this.list() });
  }
}

/** The first line of a message, at most 500 characters: what a page or a terminal line can hold. */
function firstLine(message: string): string {
  const line = message.split('\n', 1)[0].trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
