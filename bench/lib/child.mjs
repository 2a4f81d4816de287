// Runs one benchmark program (a peer or a FlowLab side) in its own process and reads its result:
// the last stdout line, which every program prints as one JSON object. A program that cannot
// start, fails or times out yields { ok: false, reason } with a one-line reason; never a number.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** How much of a failed program's stderr is kept in the reason. */
const REASON_CHARS = 300;

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ timeoutS: number, cwd?: string, env?: Record<string, string>, label: string, verbose?: boolean }} opts
 * @returns {Promise<{ ok: true, value: any, seconds: number } | { ok: false, reason: string, seconds: number }>}
 */
export function runJson(command, args, opts) {
  const started = performance.now();
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, ...(opts.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutS * 1000);
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => {
      stderr += b;
      if (opts.verbose) process.stderr.write(b);
    });
    const seconds = () => (performance.now() - started) / 1000;
    child.on('error', (err) => {
      clearTimeout(timer);
      resolvePromise({ ok: false, reason: `${opts.label}: cannot start ${command} (${err.code ?? err.message})`, seconds: seconds() });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        resolvePromise({ ok: false, reason: `${opts.label}: timed out after ${opts.timeoutS} s`, seconds: seconds() });
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0) {
        try {
          resolvePromise({ ok: true, value: JSON.parse(last), seconds: seconds() });
          return;
        } catch {
          // fall through: report as a failure below
        }
      }
      const why = lastMeaningfulLine(stderr) || lastMeaningfulLine(stdout) || `exit ${code ?? signal}`;
      resolvePromise({ ok: false, reason: `${opts.label}: ${why}`.slice(0, REASON_CHARS), seconds: seconds() });
    });
  });
}

function lastMeaningfulLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^at |^\^|^File "|^Traceback|^node:internal|^Node\.js v/.test(l));
  return lines.pop() ?? '';
}

/** A FlowLab-side program (TypeScript under bench/flowlab/, run with tsx). */
export function runFlowlab(script, args, opts) {
  return runJson(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`../flowlab/${script}`, import.meta.url)), ...args], {
    label: `FlowLab ${script}`,
    ...opts,
  });
}

/** A Python peer under bench/peers/. */
export function runPython(script, args, opts) {
  return runJson('python3', [fileURLToPath(new URL(`../peers/${script}`, import.meta.url)), ...args], {
    label: `peer ${script}`,
    ...opts,
  });
}

/** A Node peer under bench/peers/. */
export function runNodePeer(script, args, opts) {
  return runJson(process.execPath, [fileURLToPath(new URL(`../peers/${script}`, import.meta.url)), ...args], {
    label: `peer ${script}`,
    ...opts,
  });
}
