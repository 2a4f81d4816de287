/**
 * trainRun: creates (or resumes) a run, trains it chunk by chunk with the fused training program,
 * streams losses to the store and to the caller, checkpoints regularly, and ends the run as
 * completed, stopped (signal aborted; resumable), or failed (non-finite loss: the last good state
 * is kept as the checkpoint and the reason recorded).
 */
import os from 'node:os';
import { basename, dirname } from 'node:path';
import { UserError } from '../errors.js';
import { ConfigError, fieldDefault, parseConfig, recordedConfig, type ExperimentConfig, type ExperimentConfigInput } from '../api/config.js';
import type { EngineEvent, TrainSummary } from '../api/events.js';
import type { MlpSpec } from '../engine/nets/mlp.js';
import { sampleShape, type NetSpec } from '../engine/nets/velocityNet.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import { ortVersion, type Backend } from '../engine/onnx/runtime.js';
import { ImageTrainSession, initialImageState } from '../engine/train/imageTrainSession.js';
import { initialState, type TrainState } from '../engine/train/trainSession.js';
import { createMlpRunner, type RunnerKind, type StepRunner } from '../engine/train/stepRunner.js';
import { sizeBucket, type JobKind } from '../engine/calibration.js';
import { netParamCount } from '../engine/nets/velocityNet.js';
import { trainPlacement } from './calibration.js';
import type { Store } from '../store/index.js';
import { DivergenceWatch, divergenceReason } from './divergence.js';
import { checkTrainingMemory } from './jobLimits.js';
import { isImageRun, loadImageRunData, withImageDefaults, type ImageRunData } from './imageRunData.js';
import { loadRunData, type RunData } from './runData.js';
import { netSpec, recordedCoefficients } from './runModel.js';
import { InterpolantLearner } from './interpolantLearner.js';
import { zeroCoefficients, type LearnedCoefficients } from '../engine/interpolants/learned.js';

/** Steps per session call are tuned so one call takes about this long (UI stays live, overhead small). */
export const TARGET_CHUNK_MS = 150;
export const MAX_CHUNK = 500;
/** A checkpoint at most this often (and always at the end, on stop and on failure). */
const CHECKPOINT_SECONDS = 5;
/** finalLoss is the mean over this many last steps (single-step losses are noisy). */
export const FINAL_LOSS_WINDOW = 100;

export interface TrainRunOptions {
  store: Store;
  /** A new run's config, checked here (defaults filled in) before anything is recorded. */
  config?: ExperimentConfigInput;
  resumeRunId?: string;
  onEvent?: (e: EngineEvent) => void;
  signal?: AbortSignal;
  isPaused?: () => boolean;
  /** Seconds between checkpoints (default CHECKPOINT_SECONDS). */
  checkpointSeconds?: number;
  /** Called between chunks with the state (EMA parameters included), e.g. to draw preview samples. */
  onChunk?: (runId: string, state: TrainState, config: ExperimentConfig, net: NetSpec) => Promise<void>;
}

/** A run's name: the one given, else its dataset (a file by its name) and interpolant. */
export function runName(config: ExperimentConfigInput): string {
  return config.name?.trim() || `${basename(config.dataset ?? '')} · ${config.interpolant ?? fieldDefault('interpolant')}`;
}

interface Prepared {
  runId: string;
  config: ExperimentConfig;
  /** The state to continue from (a resumed run's latest checkpoint), else null: fresh weights. */
  resumeState: TrainState | null;
  /** A learned interpolant's coefficients at the checkpoint resumed from. */
  learned: LearnedCoefficients | null;
}

function prepare(store: Store, opts: TrainRunOptions): Prepared {
  if (opts.resumeRunId) {
    // A checkpoint without Adam's moments (a run imported without them: scripts/importPeerRun.ts)
    // cannot be continued, and resuming it would start again from fresh weights; refused before
    // the run is claimed, so it keeps its status. A completed run is claimRun's to refuse.
    // The checkpoint read here is the one resumed from: a claimed run is trained by nobody else.
    const ck = store.getRun(opts.resumeRunId).status === 'completed' ? null : store.latestCheckpoint(opts.resumeRunId);
    if (ck && !ck.optimizer) {
      throw new UserError(`run ${opts.resumeRunId} cannot be resumed: its checkpoint (step ${ck.step}) holds no optimizer state (Adam's moments); start a new run instead`);
    }
    // Check and mark running in one step, so that of two resumes of one run only one trains it.
    const run = store.claimRun(opts.resumeRunId, process.pid, os.hostname());
    return releaseOnError(store, run.id, () => {
      const config = recordedConfig(run.config);
      const resumeState: TrainState | null =
        ck && ck.optimizer ? { step: ck.step, params: ck.params, m: ck.optimizer.m, v: ck.optimizer.v, ema: ck.ema ?? ck.params.slice() } : null;
      return { runId: run.id, config, resumeState, learned: recordedCoefficients(ck?.extra) };
    });
  }
  if (!opts.config) throw new Error('trainRun needs a config or a run to resume');
  return { runId: '', config: parseConfig(withImageDefaults(opts.config)), resumeState: null, learned: null };
}

type TrainData = { images: ImageRunData; points?: undefined } | { points: RunData; images?: undefined };

/** The calibration's job kind and size bucket of a training run (engine/calibration.ts). */
function trainJob(config: ExperimentConfig, net: NetSpec, data: TrainData): { job: JobKind; size: ReturnType<typeof sizeBucket> } {
  const job: JobKind = data.images ? 'train-unet' : 'train-mlp';
  const pixels = data.images ? data.images.shape.slice(1).reduce((a, b) => a * b, 1) : undefined;
  return { job, size: sizeBucket(job, { params: netParamCount(net), rows: config.train.batch, pixels }) };
}

/** The step runner (engine/train/stepRunner.ts) of the kind the placement chose: the fused MLP program on points, or the image program on host-fed batches. */
async function createTrainer(config: ExperimentConfig, net: NetSpec, data: TrainData, resume: TrainState | null, backend: Backend, runner: RunnerKind, learned: LearnedCoefficients | null): Promise<StepRunner> {
  const interpolant = getInterpolant(config.interpolant);
  const { seed } = config.train;
  if (data.images) {
    if (config.interpolant === 'learned') throw new ConfigError('interpolant', "'learned' is not available for image datasets yet; choose trig or linear");
    const state = resume ?? initialImageState(net, seed);
    return ImageTrainSession.create({ config, net, interpolant, images: data.images.train, state, backend, threads: config.threads });
  }
  const mlp = net as MlpSpec;
  const state = resume ?? initialState(mlp, seed);
  return createMlpRunner(runner, {
    config, net: mlp, interpolant, data: data.points.train.data, base: data.points.base?.data ?? null, state, backend, threads: config.threads,
    ...(config.interpolant === 'learned' ? { learned: learned ?? zeroCoefficients() } : {}),
  });
}

/**
 * Runs a run's set-up; if it fails once the run is claimed or created, ends the run
 * 'interrupted' (resumable) with the reason, instead of leaving it 'running' or 'queued' under
 * this still-living process where no recovery would notice it.
 */
function releaseOnError<T>(store: Store, runId: string | (() => string), setUp: () => T): T {
  const release = (e: unknown) => {
    const id = typeof runId === 'string' ? runId : runId();
    try {
      if (id) store.finishRun(id, 'interrupted', `training could not start: ${(e as Error).message}`);
    } catch {
      // the store itself failed: the original error says more; recovery ends the run later
    }
    throw e;
  };
  try {
    const result = setUp();
    return result instanceof Promise ? (result.catch(release) as T) : result;
  } catch (e) {
    return release(e);
  }
}

export async function trainRun(opts: TrainRunOptions): Promise<TrainSummary> {
  const started = performance.now();
  const { store } = opts;
  const emit = opts.onEvent ?? (() => {});
  const prep = prepare(store, opts);
  const { config } = prep;
  let runId = prep.runId;
  const { backend, net, session, shape, images, learned } = await releaseOnError(store, () => runId, async () => {
    // the data is read and checked before anything is recorded: bad input leaves no half-created run
    const data: TrainData = isImageRun(config) ? { images: await loadImageRunData(config) } : { points: loadRunData(config) };
    if (data.points) checkTrainingMemory(config, data.points.d, data.points.train.n);
    const net = netSpec(config, data.images ? data.images.shape : data.points.d);
    const shape = sampleShape(net);
    const { job, size } = trainJob(config, net, data);
    const { backend, runner } = await trainPlacement(dirname(store.file), config.backend, job, size, config.threads);

    if (!runId) {
      runId = store.createRun({
        name: runName(config),
        config,
        seed: config.train.seed,
        dataset: config.dataset,
        interpolant: config.interpolant,
        backend,
        onnxruntimeVersion: ortVersion(),
      }).id;
    } else {
      store.updateRun(runId, { backend, onnxruntimeVersion: ortVersion() });
    }

    let learned = prep.learned;
    if (config.interpolant === 'learned' && data.points && !learned) {
      // the path search (interpolantLearner.ts) on a runner of its own; a run resumed from a
      // checkpoint has its path already
      store.markRunning(runId, process.pid, os.hostname());
      const learner = new InterpolantLearner(store, config, net as MlpSpec, data.points.train, zeroCoefficients(), backend);
      const search = await createTrainer(config, net, data, null, backend, runner, zeroCoefficients());
      try {
        learned = await learner.search(runId, search, () => !!opts.signal?.aborted);
      } finally {
        await search.dispose();
        await learner.release();
      }
    }
    const session = await createTrainer(config, net, data, prep.resumeState, backend, runner, learned);
    store.markRunning(runId, process.pid, os.hostname());
    return { backend, net, session, shape, images: !!data.images, learned };
  });
  emit({ type: 'started', runId, config, resumedFrom: session.step });

  const total = config.train.steps;
  const startStep = session.step;
  // a resumed run's final loss averages the same last steps as an uninterrupted run's would
  const recent: number[] = [];
  if (startStep > 0) {
    const before = store.metricsSeries(runId, 'loss', startStep - FINAL_LOSS_WINDOW - 1);
    for (let i = 0; i < before.steps.length && before.steps[i] < startStep; i++) recent.push(before.values[i]);
  }
  const watch = new DivergenceWatch();
  watch.push(recent, startStep - recent.length);
  // an image step takes long enough that the first chunk is one step (stop stays prompt)
  let chunk = images ? 1 : 10;
  let lastCheckpoint = performance.now();
  const trainStart = performance.now();
  // Training time for the wall-time axis: chunks and previews, not pauses; a resumed run goes on
  // from its recorded time.
  let activeSeconds = startStep > 0 ? (store.metricSummary(runId, 'wall_s').last || 0) : 0;
  const checkpoint = (state: TrainState, loss: number | null) => {
    store.saveCheckpoint(runId, {
      step: state.step,
      loss,
      params: state.params,
      ema: state.ema,
      optimizer: { m: state.m, v: state.v },
      rngState: { seed: config.train.seed, step: state.step },
      extra: { dim: net.dim, shape, ...(learned ? { interpolant: { alpha: [...learned.alpha], beta: [...learned.beta] } } : {}) },
    });
    lastCheckpoint = performance.now();
  };
  const finish = (status: TrainSummary['status'], reason?: string): TrainSummary => {
    const steps = session.step;
    const trainSeconds = (performance.now() - trainStart) / 1000;
    const summary: TrainSummary = {
      runId,
      status,
      steps,
      finalLoss: recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : null,
      seconds: (performance.now() - started) / 1000,
      stepsPerSec: trainSeconds > 0 ? (steps - startStep) / trainSeconds : 0,
      backend,
      runner: session.kind,
    };
    if (reason) summary.failureReason = reason;
    store.finishRun(runId, status, reason ?? null);
    emit(status === 'failed' ? { type: 'failed', runId, reason: reason! } : { type: 'done', runId, summary });
    return summary;
  };

  try {
    while (session.step < total) {
      if (opts.signal?.aborted) {
        checkpoint(await session.readState(), recent.at(-1) ?? null);
        return finish('stopped');
      }
      if (opts.isPaused?.()) {
        checkpoint(await session.readState(), recent.at(-1) ?? null);
        store.markPaused(runId);
        emit({ type: 'paused', runId, step: session.step });
        while (opts.isPaused() && !opts.signal?.aborted) await new Promise((r) => setTimeout(r, 100));
        store.markRunning(runId, process.pid, os.hostname());
        emit({ type: 'resumed', runId, step: session.step });
        continue;
      }
      const beforeStep = session.step;
      const k = Math.min(chunk, total - beforeStep);
      const t0 = performance.now();
      const { losses, gradNorms } = await session.advance(k);
      const ms = performance.now() - t0;
      activeSeconds += ms / 1000;
      chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round((TARGET_CHUNK_MS * k) / Math.max(ms, 1))));

      const bad = losses.findIndex((l) => !Number.isFinite(l));
      const good = bad < 0 ? losses : losses.subarray(0, bad);
      if (good.length) {
        store.transaction(() => {
          store.appendMetricRun(runId, 'loss', beforeStep, good);
          store.appendMetricRun(runId, 'grad_norm', beforeStep, gradNorms.subarray(0, good.length));
          store.appendMetrics(runId, [{ name: 'wall_s', step: beforeStep + good.length - 1, value: activeSeconds }]);
          let min = Infinity;
          for (const l of good) min = Math.min(min, l);
          store.recordProgress(runId, beforeStep + good.length, good[good.length - 1], min);
        });
        for (const l of good) {
          recent.push(l);
          if (recent.length > FINAL_LOSS_WINDOW) recent.shift();
        }
        emit({ type: 'loss', runId, steps: Array.from(good, (_, i) => beforeStep + i), losses: Array.from(good) });
      }
      const blowUp = watch.push(good, beforeStep);
      if (blowUp) {
        await session.undo();
        checkpoint(await session.readState(), recent.at(-1) ?? null);
        return finish('failed', divergenceReason(blowUp));
      }
      if (bad >= 0) {
        await session.undo();
        checkpoint(await session.readState(), recent.at(-1) ?? null);
        const reason = `training diverged: the loss became ${losses[bad]} at step ${beforeStep + bad}; the last good state (step ${beforeStep}) is kept; lower the learning rate (train.lr) or enable gradient clipping (train.clipNorm)`;
        return finish('failed', reason);
      }
      const stepsPerSec = (session.step - startStep) / ((performance.now() - trainStart) / 1000);
      emit({ type: 'progress', runId, step: session.step, steps: total, stepsPerSec, etaSeconds: (total - session.step) / Math.max(stepsPerSec, 1e-9) });
      if (opts.onChunk) {
        const p0 = performance.now();
        await opts.onChunk(runId, await session.readState(), config, net);
        activeSeconds += (performance.now() - p0) / 1000;
      }
      if (performance.now() - lastCheckpoint > (opts.checkpointSeconds ?? CHECKPOINT_SECONDS) * 1000) checkpoint(await session.readState(), recent.at(-1) ?? null);
    }
    checkpoint(await session.readState(), recent.at(-1) ?? null);
    return finish('completed');
  } catch (e) {
    const reason = `training stopped by an error: ${(e as Error).message}`;
    try {
      checkpoint(await session.readState(), recent.at(-1) ?? null);
    } catch {
      // the store itself failed; the run stays 'running' and is marked interrupted at next open
    }
    finish('failed', reason);
    throw e;
  } finally {
    await session.dispose();
  }
}
