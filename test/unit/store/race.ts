import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts one child per argument list, waits until every child has printed `ready` (its module
 * loaded), then sends all of them `go` at once, so the races they run start together instead of
 * being staggered by process start-up. Resolves with each child's exit code and output.
 */
export async function race(script: string, argLists: string[][], timeoutMs = 60_000): Promise<ChildResult[]> {
  const children = argLists.map((args) =>
    spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const results = children.map((child) => {
    const result: ChildResult = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
    const exited = new Promise<ChildResult>((resolve) =>
      child.on('close', (code) => resolve({ ...result, code })),
    );
    const ready = new Promise<void>((resolve, reject) => {
      const check = () => (result.stdout.includes('ready\n') ? resolve() : undefined);
      child.stdout.on('data', check);
      child.on('exit', (code) => reject(new Error(`child exited with ${code} before ready: ${result.stderr}`)));
    });
    return { exited, ready };
  });
  const timer = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), timeoutMs);
  try {
    await Promise.all(results.map((r) => r.ready));
    for (const child of children) child.stdin.write('go\n');
    return await Promise.all(results.map((r) => r.exited));
  } finally {
    clearTimeout(timer);
  }
}
