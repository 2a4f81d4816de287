/**
 * The jobs queue: every training, sampling, evaluation and export runs in an engine process,
 * one job at a time per process. Trainings queue in their own lane (one process), so that
 * sampling, velocity fields and exports (the interactive lane, a second process) answer while
 * a long training runs. Door-agnostic: the door passes in how to start an engine process.
 */
import { UserError } from '../errors.js';
import type { ApiEvent } from '../api/events.js';
import type { ApiErrorBody } from '../api/contract.js';
import type { JobInfo } from '../api/schemas.js';
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

  constructor(private readonly options: JobQueueOptions) {}

  /** Queues a job; `done` settles with its result. Position 0 = starts now. */
  submit(request: JobRequest, name: string): { jobId: string; position: number; done: Promise<unknown> } {
    if (this.closed) throw new Error('the job queue is closed');
    const lane = this.lanes[laneOf(request.kind)];
    const jobId = `j${this.nextId++}`;
    let resolve!: (r: unknown) => void;
    let reject!: (e: Error) => void;
    const done = new Promise<unknown>((res, rej) => { resolve = res; reject = rej; });
    const runId = request.kind === 'train' ? request.resumeRunId ?? null : request.kind === 'backends' ? null : request.runId;
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

  /** Removes a job that has not started; throws a UserError for a running or unknown one. */
  cancel(jobId: string): void {
    for (const lane of Object.values(this.lanes)) {
      const i = lane.waiting.findIndex((j) => j.jobId === jobId);
      if (i >= 0) {
        const [job] = lane.waiting.splice(i, 1);
        job.reject(new UserError(`job ${jobId} was cancelled before it started`));
        this.announce();
        return;
      }
      if (lane.current?.jobId === jobId) {
        throw new UserError(`job ${jobId} is already running; stop its run instead`);
      }
    }
    throw new UserError(`no queued job ${jobId}; list jobs to see the queue`);
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
    else job.reject(message.error.kind === 'user' ? new UserError(message.error.message) : new JobError(message.error));
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
      job.reject(new Error(reason));
      this.announce();
    }
    this.pump(lane);
  }

  private announce(): void {
    this.options.onEvent({ type: 'jobs', jobs: this.list() });
  }
}
