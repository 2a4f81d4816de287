/**
 * The `flowlab` command line: one subcommand per job. A UserError prints one line naming the
 * problem and the fix, with exit code 1 (2 for a bad command line).
 */
import { spawn } from 'node:child_process';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { nodeEntry, nodeEnv } from '../engine/nodeEntry.js';
import { cliMessage } from './configFlags.js';
import { exportCommand } from './export.js';
import { runsCommand } from './runs.js';
import { sampleCommand } from './sample.js';
import { trainCommand } from './train.js';

type Command = (argv: string[]) => Promise<number>;

/**
 * `flowlab serve` runs the server door's own process entry (a door never imports another): it
 * runs until Ctrl-C / SIGTERM, which its handlers turn into a clean shutdown; this waits for it.
 */
async function serveProcess(): Promise<Command> {
  return (argv) => {
    const { path, execArgv } = nodeEntry('../server/serveMain', import.meta.url);
    const child = spawn(process.execPath, [...execArgv, path, ...argv], { stdio: 'inherit', env: nodeEnv() });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    // Ctrl-C reaches the child from the terminal too; this process only waits for it to finish.
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', forward('SIGTERM'));
    return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  };
}

const COMMANDS: Record<string, { run: () => Promise<Command>; summary: string }> = {
  train: { run: async () => trainCommand, summary: 'train a velocity net on a dataset (or --resume a run)' },
  sample: { run: async () => sampleCommand, summary: 'draw samples from a trained run, or encode data (--reverse); --interpolate two seeds' },
  encode: { run: async () => (await import('./encode.js')).encodeCommand, summary: 'image runs: encode held-out images to the base and back, with the cycle error' },

  eval: { run: async () => (await import('./eval.js')).evalCommand, summary: 'measure a run: likelihood, KL gap, sample distances, transport geometry' },
  runs: { run: async () => runsCommand, summary: 'list the runs in the store' },
  export: { run: async () => exportCommand, summary: 'export the net (ONNX), samples (CSV/NPY) or the run (JSON)' },
  backends: { run: async () => (await import('./backends.js')).backendsCommand, summary: 'which backends work here; --check NAME compares one with the CPU' },
  serve: { run: serveProcess, summary: 'serve the app in a browser (headless server mode)' },
};

export const MAIN_HELP = `FlowLab ${VERSION}: a lab for flow-based generative models

usage: flowlab <command> [options]      (flowlab <command> --help for its options)

${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`).join('\n')}`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(MAIN_HELP);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log(VERSION);
    return 0;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UserError(`unknown command '${name}'; run \`flowlab --help\` for the list (${Object.keys(COMMANDS).join(', ')})`);
    return await (await cmd.run())(rest);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`error: ${cliMessage(e)}\n`);
      return 1;
    }
    throw e;
  }
}
