// A long-lived benchmark program driven one command at a time: the suite writes a line to its
// stdin and waits for its next JSON line on stdout. Used to give two programs alternating slices
// of one race, so both train under the same (changing) load of a shared machine.
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './child.mjs';

/** Longest wait for one reply (s): a slice plus generous set-up time. */
const REPLY_TIMEOUT_S = 600;

export class Interactive {
  /** @param {string} command @param {string[]} args @param {string} label @param {boolean} verbose */
  constructor(command, args, label, verbose = false) {
    this.label = label;
    this.lines = [];
    this.waiters = [];
    this.stderr = '';
    this.exited = null;
    this.child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = '';
    this.child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        if (line) this.deliver(line);
      }
    });
    this.child.stderr.on('data', (b) => {
      this.stderr += b;
      if (verbose) process.stderr.write(b);
    });
    // A program that died cannot take input; its exit is reported through fail(), not as EPIPE.
    this.child.stdin.on('error', () => {});
    this.child.on('error', (err) => this.fail(`cannot start ${command} (${err.code ?? err.message})`));
    this.child.on('close', (code) => this.fail(`exited (${code}): ${lastLine(this.stderr) || 'no message'}`));
  }

  deliver(line) {
    const w = this.waiters.shift();
    if (w) w.resolve(line);
    else this.lines.push(line);
  }

  fail(reason) {
    if (this.exited) return;
    this.exited = `${this.label}: ${reason}`.slice(0, 300);
    for (const w of this.waiters.splice(0)) w.reject(new Error(this.exited));
  }

  /**
   * Sends one command line (none when undefined; closes stdin when null) and resolves to the next
   * JSON line the program prints.
   */
  ask(line) {
    if (this.exited && !this.lines.length) return Promise.reject(new Error(this.exited));
    if (line === null) this.child.stdin.end();
    else if (line !== undefined) this.child.stdin.write(line + '\n');
    if (this.lines.length) return Promise.resolve(JSON.parse(this.lines.shift()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: no reply within ${REPLY_TIMEOUT_S} s`)), REPLY_TIMEOUT_S * 1000);
      this.waiters.push({
        resolve: (l) => {
          clearTimeout(timer);
          try {
            resolve(JSON.parse(l));
          } catch {
            reject(new Error(`${this.label}: printed something that is not JSON: ${l.slice(0, 100)}`));
          }
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

function lastLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^at |^File "|^Traceback|^node:internal|^Node\.js v/.test(l));
  return lines.pop() ?? '';
}
