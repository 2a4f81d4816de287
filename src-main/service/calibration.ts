/**
 * The machine's calibration (engine/calibration.ts), cached in the data folder as
 * calibration.json: one calibration per machine key (CPU model, cores, adapters, app and ONNX
 * Runtime versions), so a new version or a new graphics card measures again. 'auto' reads it;
 * where a hardware GPU backend works and this machine has no calibration yet, the first job
 * that asks measures it (seconds) and saves it. `flowlab backends --calibrate` measures anew.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { BackendChoice } from '../api/config.js';
import {
  calibrate,
  chooseRunner,
  decide,
  gpuBackendStates,
  JOB_KINDS,
  machineKey,
  sameMachine,
  SIZE_BUCKETS,
  type Calibration,
  type CalibrateOptions,
  type Decision,
  type JobKind,
  type MachineKey,
  type SizeBucket,
} from '../engine/calibration.js';
import { BACKEND_PREFERENCE, resolveBackend, type Backend } from '../engine/onnx/runtime.js';
import { RUNNER_KINDS, type RunnerKind } from '../engine/train/stepRunner.js';
import { diskFullError } from './diskErrors.js';

export const CALIBRATION_FILE = 'calibration.json';
/** Calibrations kept in the file (other machines sharing the data folder, other versions). */
const KEEP = 8;

const machineSchema = z.object({ cpu: z.string(), cores: z.number(), adapters: z.array(z.string()), app: z.string(), onnxruntime: z.string() });
const calibrationSchema = z.object({
  key: machineSchema,
  measuredAt: z.string(),
  seconds: z.number(),
  threads: z.number(),
  entries: z.array(
    z.object({
      job: z.enum(JOB_KINDS),
      size: z.enum(SIZE_BUCKETS),
      backend: z.enum(BACKEND_PREFERENCE as [Backend, ...Backend[]]),
      runner: z.enum(RUNNER_KINDS).optional(),
      perSecond: z.number().nullable(),
      unit: z.enum(['steps/s', 'samples/s']),
      software: z.boolean().optional(),
      error: z.string().optional(),
    }),
  ),
});
const fileSchema = z.object({ calibrations: z.array(calibrationSchema) });

function readAll(dataDir: string): Calibration[] {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(join(dataDir, CALIBRATION_FILE), 'utf8')));
    return parsed.success ? parsed.data.calibrations : [];
  } catch {
    return [];
  }
}

/** This machine's calibration from the data folder, or null (none, another machine's, an unreadable file). */
export function loadCalibration(dataDir: string, key: MachineKey): Calibration | null {
  return readAll(dataDir).find((c) => sameMachine(c.key, key)) ?? null;
}

/** Saves `c` in place of its machine's earlier one, atomically (temp file, then rename). */
export function saveCalibration(dataDir: string, c: Calibration): void {
  const others = readAll(dataDir).filter((x) => !sameMachine(x.key, c.key));
  const file = join(dataDir, CALIBRATION_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify({ calibrations: [c, ...others].slice(0, KEEP) }, null, 2) + '\n');
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw diskFullError(err, file) ?? err;
  }
}

/** Measures this machine now and saves the result. */
export async function runCalibration(dataDir: string, o: CalibrateOptions): Promise<Calibration> {
  const c = await calibrate(o);
  saveCalibration(dataDir, c);
  return c;
}

/** The backends 'auto' may pick: those that run here on a hardware device (the CPU always). */
export async function usableBackends(): Promise<Backend[]> {
  const states = await gpuBackendStates();
  return BACKEND_PREFERENCE.filter((b) => states[b] === 'hardware');
}

/**
 * What 'auto' runs a job on, from this machine's calibration; with a hardware GPU backend and no
 * calibration yet, it measures first (once per machine and version).
 */
export async function autoDecision(dataDir: string, job: JobKind, size: SizeBucket, threads: number): Promise<{ decision: Decision; calibration: Calibration | null }> {
  const usable = await usableBackends();
  let calibration = loadCalibration(dataDir, await machineKey());
  if (!calibration && usable.some((b) => b !== 'cpu')) calibration = await runCalibration(dataDir, { threads });
  return { decision: decide(calibration, job, size, usable), calibration };
}

/**
 * A training job's backend and step runner: 'auto' by the calibration (`autoDecision`); a backend
 * asked for by name must work (resolveBackend), and gets the fastest runner a saved calibration
 * measured for it (no calibration file: the default runner, without probing anything).
 */
export async function trainPlacement(dataDir: string, choice: BackendChoice, job: JobKind, size: SizeBucket, threads: number): Promise<{ backend: Backend; runner: RunnerKind }> {
  if (choice === 'auto') {
    const { decision, calibration } = await autoDecision(dataDir, job, size, threads);
    const backend = await resolveBackend(decision.backend, 'train');
    return { backend, runner: chooseRunner(backend, job, size, calibration) };
  }
  const backend = await resolveBackend(choice, 'train');
  const calibration = existsSync(join(dataDir, CALIBRATION_FILE)) ? loadCalibration(dataDir, await machineKey()) : null;
  return { backend, runner: chooseRunner(backend, job, size, calibration) };
}

/** A sampling job's backend: 'auto' by the calibration (`autoDecision`), a named one as asked (it must work). */
export async function solvePlacement(dataDir: string, choice: BackendChoice, size: SizeBucket, threads: number): Promise<Backend> {
  if (choice !== 'auto') return resolveBackend(choice, 'solve');
  const { decision } = await autoDecision(dataDir, 'sample', size, threads);
  return resolveBackend(decision.backend, 'solve');
}
