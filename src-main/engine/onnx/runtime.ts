/**
 * ONNX Runtime sessions for FlowLab's programs. The execution providers are every one a user of
 * onnxruntime-node's prebuilt binding can have: CUDA (Linux x64, when its install fetched the
 * provider library), DirectML (Windows), CoreML (macOS), WebGPU (everywhere but Linux arm64) and
 * the CPU. Each GPU one is probed in a child process by running a tiny model; one that cannot
 * run says why. 'auto' chooses among those that run on a hardware device by the machine's
 * calibration (engine/calibration.ts); a backend asked for by name and not working is an error,
 * never a silent fallback. The backend used is recorded with every run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { UserError } from '../../errors.js';
import { nodeEntry, nodeEnv } from '../nodeEntry.js';
import type { BackendChoice } from '../../api/config.js';
import { Graph } from './graph.js';
import { add, reorderInput } from './ops/index.js';
import { serializeModel } from './serialize.js';

const require = createRequire(import.meta.url);

export type Backend = 'cpu' | 'webgpu' | 'cuda' | 'dml' | 'coreml';
/** Every backend, in the order 'auto' prefers them when nothing was measured (sampling). */
export const BACKEND_PREFERENCE: Backend[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

export { ort };

export interface SessionOptions {
  backend: Backend;
  /** Intra-op threads; 0 = one per core. */
  threads: number;
  /** Write an ONNX Runtime profile (per-node timings, JSON) with this file prefix. */
  profilePrefix?: string;
}

export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

export async function createSession(model: Uint8Array, opts: SessionOptions): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: [opts.backend],
    intraOpNumThreads: opts.threads > 0 ? opts.threads : defaultThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Errors only: ONNX Runtime warns on every GPU session that it keeps shape nodes on the CPU.
    logSeverityLevel: 3,
    ...(opts.profilePrefix ? { enableProfiling: true, profileFilePrefix: opts.profilePrefix } : {}),
  });
}

let channelBlock: Promise<number> | null = null;

/**
 * The channel block of ONNX Runtime's CPU blocked-layout kernels here (16 with AVX-512, 8 with
 * AVX2), or 0 where they are missing: what `withConvChannelBlock` needs to build Convs that use
 * them. Measured by reordering a 4-channel image, which pads the channels to one block.
 */
export function cpuChannelBlock(): Promise<number> {
  if (!channelBlock) {
    channelBlock = (async () => {
      try {
        const g = new Graph('block_probe');
        const x = g.input('x', 'float32', [1, 4, 1, 1]);
        g.setOutputs(reorderInput(x));
        const session = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
        const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
        await session.release();
        const b = Object.values(out)[0].dims[1];
        return b >= 8 ? b : 0;
      } catch {
        return 0;
      }
    })();
  }
  return channelBlock;
}

let probeModel: Uint8Array | null = null;
function tinyModel(): Uint8Array {
  if (!probeModel) {
    const g = new Graph('probe');
    const x = g.input('x', 'float32', [2]);
    g.setOutputs(add(x, 1));
    probeModel = serializeModel(g);
  }
  return probeModel;
}

/** Where onnxruntime-node's prebuilt binding ships each GPU provider (its README's table). */
export const SHIPPED_ON: Record<Exclude<Backend, 'cpu'>, string> = {
  cuda: 'Linux x64',
  dml: 'Windows',
  coreml: 'macOS',
  webgpu: 'Windows, macOS and Linux x64',
};

/**
 * How to get ONNX Runtime's CUDA provider (README, "CUDA"): onnxruntime-node's install script
 * (script/install.js) downloads it on Linux x64 unless ONNXRUNTIME_NODE_INSTALL=skip (or
 * --onnxruntime-node-install=skip, or the older ONNXRUNTIME_NODE_INSTALL_CUDA=skip) was set.
 */
export const CUDA_INSTALL_HINT = 'install it with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (its install script fetches it unless ONNXRUNTIME_NODE_INSTALL=skip was set) and check with `flowlab backends` (README, CUDA)';

/**
 * Cheap checks before a probe, so a machine without the pieces does not get ONNX Runtime's and
 * Dawn's loader errors printed: CUDA needs the provider library that onnxruntime-node downloads
 * at install time; WebGPU (Dawn) needs a Vulkan loader on Linux.
 */
export function missingPrerequisite(b: Backend, binDir = dirname(require.resolve('onnxruntime-node/package.json')) + `/bin/napi-v6/${process.platform}/${process.arch}`): string | null {
  if (b === 'cuda') {
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    if (!existsSync(join(binDir, lib))) return `cuda is unavailable: ONNX Runtime's CUDA provider (${lib}) is not installed; ${CUDA_INSTALL_HINT}`;
  }
  if (b === 'webgpu' && process.platform === 'linux') {
    const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':'), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/usr/local/lib'];
    if (!dirs.some((d) => d && existsSync(join(d, 'libvulkan.so.1')))) return 'webgpu is unavailable: no Vulkan loader (libvulkan.so.1) on this machine';
  }
  return null;
}

/** Why a backend the binding does not list is missing: the prebuilt binding for this platform does not ship it. */
export function notShippedReason(b: Backend, platform = `${process.platform}/${process.arch}`): string {
  const where = b === 'cpu' ? 'every platform' : SHIPPED_ON[b];
  return `${b} is unavailable: not shipped for this platform (${platform}); onnxruntime-node's prebuilt binding has it on ${where}`;
}

/**
 * A CUDA probe's failure in words: the provider library is there but the CUDA 12 runtime
 * libraries it loads (cuBLAS, cuDNN 9, the CUDA runtime) or the NVIDIA driver are not.
 */
export function cudaFailure(message: string): string {
  if (/lib(cublas|cublasLt|cudnn|cudart|cufft|curand)[^ ]*\.so|cublas|cudnn|cudart/i.test(message)) {
    return `cuda is unavailable: the CUDA libraries are not installed (ONNX Runtime's CUDA provider needs CUDA 12 and cuDNN 9 on the library path: ${message})`;
  }
  if (/libcuda\.so|driver/i.test(message)) return `cuda is unavailable: no NVIDIA driver here (${message})`;
  return `cuda is unavailable: ${message}`;
}

const probeCache = new Map<string, Promise<string | null>>();

/**
 * Null when the backend runs a model here, else the reason it does not. A GPU backend is tried
 * in a child process (`probeChild.ts`): its native libraries print to the terminal while they
 * look for a device (the Vulkan loader and Dawn do, even when they then fail cleanly), and a
 * broken driver can crash the process that loads it. The child keeps both away from the caller.
 */
export function probeBackend(b: Backend): Promise<string | null> {
  return cachedProbe(b, {});
}

/**
 * Vulkan drivers that run on the CPU, by their manifest names: Mesa's lavapipe (installed with
 * most Linux desktops) and SwiftShader.
 */
export const SOFTWARE_VULKAN_DRIVERS = ['*lvp_icd*', '*swiftshader*'];
/** The note `availableBackends` gives a backend that runs only on one of them. */
const SOFTWARE_ONLY = "only a software Vulkan device here (Mesa's lavapipe or SwiftShader), slower than the CPU backend";

/**
 * Null when `b` runs here on a hardware device, else why not. WebGPU on Linux can find nothing
 * but a software Vulkan driver; it then works, and slowly: RK4 on 10 000 points took 27x as long
 * over lavapipe as on the CPU backend of the same 2-core machine. So this probe hides those
 * drivers from the Vulkan loader (VK_LOADER_DRIVERS_DISABLE) and tries again; 'auto' asks it.
 */
export function probeHardware(b: Backend): Promise<string | null> {
  if (b !== 'webgpu' || process.platform !== 'linux') return probeBackend(b);
  const disabled = [process.env.VK_LOADER_DRIVERS_DISABLE, ...SOFTWARE_VULKAN_DRIVERS].filter(Boolean).join(',');
  return cachedProbe(b, { VK_LOADER_DRIVERS_DISABLE: disabled }).then((reason) =>
    reason === null ? null : `${b} has no hardware device here (a software Vulkan device, such as Mesa's lavapipe, is not counted: it is slower than the CPU backend)`,
  );
}

function cachedProbe(b: Backend, env: Record<string, string>): Promise<string | null> {
  const key = `${b} ${JSON.stringify(env)}`;
  let p = probeCache.get(key);
  if (!p) {
    p = (async () => {
      const bundled = ort.listSupportedBackends?.().find((x) => x.name === b);
      if (!bundled) return notShippedReason(b);
      const missing = missingPrerequisite(b);
      if (missing) return missing;
      return b === 'cpu' ? probeHere(b) : probeInChild(b, env);
    })();
    probeCache.set(key, p);
  }
  return p;
}

/** Runs the tiny model on `b` in this process: null when it computes the right result, else why not. */
export async function probeHere(b: Backend): Promise<string | null> {
  try {
    const s = await createSession(tinyModel(), { backend: b, threads: 1 });
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2]), [2]) });
    const v = out[s.outputNames[0]].data as Float32Array;
    await s.release();
    return v[0] === 2 && v[1] === 3 ? null : `${b} computed a wrong result`;
  } catch (e) {
    const message = ortMessage((e as Error).message);
    return b === 'cuda' ? cudaFailure(message) : `${b} is unavailable: ${message}`;
  }
}

/**
 * The words of an ONNX Runtime error without its source location: "path/file.cc:136 function
 * condition was false. Failed to get a WebGPU adapter: No supported adapters" -> the last part.
 */
export function ortMessage(message: string): string {
  const first = message.split('\n')[0];
  const m = /^\S+\.(?:cc|cpp|h):\d+ .* was false\. (.+)$/.exec(first);
  return m ? m[1] : first;
}

/** Seconds a probe may take; a first GPU initialisation can take several. */
const PROBE_TIMEOUT_S = 60;

/** `probeHere` in a child process; its output is kept, and only its verdict comes back. */
export function probeInChild(b: Backend, env: Record<string, string> = {}): Promise<string | null> {
  const { path, execArgv } = nodeEntry('./probeChild', import.meta.url);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...execArgv, path, b], { env: nodeEnv(env), stdio: ['ignore', 'pipe', 'pipe'], timeout: PROBE_TIMEOUT_S * 1000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve(`${b} could not be probed: ${e.message}`));
    child.on('close', (code, signal) => {
      const verdict = parseVerdict(stdout);
      if (verdict !== undefined) return resolve(verdict);
      const lastLine = stderr.trim().split('\n').at(-1)?.trim();
      const how = signal === 'SIGTERM' ? `did not finish in ${PROBE_TIMEOUT_S} s` : signal ? `crashed (${signal})` : `exited with code ${code}`;
      resolve(`${b} is unavailable: its probe ${how}${lastLine ? ` (${lastLine})` : ''}`);
    });
  });
}

function parseVerdict(stdout: string): string | null | undefined {
  const line = stdout.trim().split('\n').at(-1);
  if (!line) return undefined;
  try {
    const v = JSON.parse(line) as { reason?: unknown };
    if (v.reason === null || typeof v.reason === 'string') return v.reason;
  } catch {
    // not the probe's verdict: the child failed before it could print one
  }
  return undefined;
}

export interface BackendAvailability {
  name: Backend;
  available: boolean;
  /** Why it does not run here. */
  reason?: string;
  /** It runs, but 'auto' does not use it: why (a software device). */
  note?: string;
}

export async function availableBackends(): Promise<BackendAvailability[]> {
  return Promise.all(
    BACKEND_PREFERENCE.map(async (b): Promise<BackendAvailability> => {
      const reason = await probeBackend(b);
      if (reason !== null) return { name: b, available: false, reason };
      const hardware = await probeHardware(b);
      return hardware === null ? { name: b, available: true } : { name: b, available: true, note: SOFTWARE_ONLY };
    }),
  );
}

/**
 * What a session is for. Without a calibration (engine/calibration.ts), 'auto' trains on the CPU
 * and solves ODEs on the first backend in BACKEND_PREFERENCE that runs on a hardware device
 * (`probeHardware`): on an H100 over WebGPU (Vulkan), `scripts/backendCheck.ts` measured training
 * of the default net at 25 steps/s against 275 on the machine's 16 CPU cores (a fused training
 * step is hundreds of small kernels, and the GPU's per-kernel cost dominates at these sizes),
 * while RK4 sampling of 65 536 points ran 5x faster than on the CPU. With a calibration, the
 * service asks for the measured choice by name (service/calibration.ts).
 */
export type Workload = 'train' | 'solve';

/** 'auto' -> the fastest backend that works for this workload; an explicit one must work or it is a UserError. */
export async function resolveBackend(choice: BackendChoice, workload: Workload): Promise<Backend> {
  if (choice !== 'auto') {
    const reason = await probeBackend(choice);
    if (reason !== null) throw new UserError(`backend '${choice}' cannot be used: ${reason}; pass --backend cpu or --backend auto`);
    return choice;
  }
  if (workload === 'train') return 'cpu';
  for (const b of BACKEND_PREFERENCE) if ((await probeHardware(b)) === null) return b;
  return 'cpu';
}

export function ortVersion(): string {
  return ort.env.versions?.node ?? 'unknown';
}
