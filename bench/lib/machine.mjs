// What the figures were measured on: CPU, core count, load at the start (the machines are
// shared and noisy; a high load average explains a bad round), and the versions of every engine.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return null;
  }
}

/** torch's version, or { missing: reason } when python3 or torch is not installed. */
export function torchStatus() {
  const r = spawnSync('python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { missing: `python3 not found (${r.error.code ?? r.error.message})` };
  if (r.status !== 0) {
    const line = (r.stderr || '').trim().split('\n').pop() || `exit ${r.status}`;
    return { missing: `torch not importable: ${line}; install with: python3 -m pip install torch` };
  }
  return { version: r.stdout.trim() };
}

export function pythonModuleVersion(module) {
  const r = spawnSync('python3', ['-c', `import ${module}; print(getattr(${module}, '__version__', '?'))`], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function machineInfo(threads) {
  const cpus = os.cpus();
  const torch = torchStatus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    onnxruntime: packageVersion('onnxruntime-node'),
    torch: torch.version ?? null,
    torchMissing: torch.missing ?? null,
    tfjs: packageVersion('@tensorflow/tfjs'),
    threads,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
