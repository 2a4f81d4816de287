/**
 * `flowlab serve [--port P] [--data-dir DIR]`: starts headless mode and prints the URL to open.
 * Runs until interrupted (Ctrl-C), then stops trainings resumably and closes the store.
 */
import type { JobInfo } from '../api/schemas.js';
import { UserError } from '../errors.js';
import { defaultDataDir } from '../paths.js';
import { startServer, type RunningServer } from './startServer.js';

/** The port `flowlab serve` uses unless told otherwise. */
export const DEFAULT_PORT = 5780;

export interface ServeArgs {
  port: number;
  dataDir: string;
  /** --help / -h: print SERVE_HELP instead of serving. */
  help?: true;
}

export const SERVE_USAGE = 'usage: flowlab serve [--port P] [--data-dir DIR]';

export const SERVE_HELP = `flowlab serve [--port P] [--data-dir DIR]

Serves the FlowLab app to a browser on this machine (it listens on 127.0.0.1 only) and prints the
address to open. Trainings started there keep running until stopped; Ctrl-C stops them resumably.
  --port P              port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --data-dir DIR        where runs are stored (default: ${defaultDataDir()}; env FLOWLAB_DATA_DIR)
  -h, --help            show this help`;

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const args: ServeArgs = { port: DEFAULT_PORT, dataDir: defaultDataDir() };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UserError(`${name} needs a value; ${SERVE_USAGE}`);
      return v;
    };
    if (name === '--help' || name === '-h') {
      args.help = true;
    } else if (name === '--port') {
      const v = value();
      const port = Number(v);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UserError(`--port must be a whole number in 0..65535, got '${v}'`);
      }
      args.port = port;
    } else if (name === '--data-dir') {
      args.dataDir = value();
    } else {
      throw new UserError(`unknown option '${flag}'; ${SERVE_USAGE}`);
    }
  }
  return args;
}

/** Starts the server, prints where to open it, and closes it cleanly on SIGINT/SIGTERM. */
export async function serveCommand(argv: readonly string[], print: (line: string) => void = console.log): Promise<RunningServer | null> {
  const args = parseServeArgs(argv);
  if (args.help) {
    print(SERVE_HELP);
    return null;
  }
  let server: RunningServer;
  try {
    server = await startServer({ port: args.port, dataDir: args.dataDir });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UserError(`port ${args.port} is in use; pass --port <another> (or --port 0 for any free one)`);
    }
    throw err;
  }
  print(`FlowLab is running. Open this address in your browser:\n\n  ${server.url}\n\nData folder: ${args.dataDir}\nPress Ctrl-C to stop.`);
  const stop = () => {
    const interrupted = server.trainings();
    void server.close().then(() => {
      for (const line of interruptedLines(interrupted, args.dataDir)) print(line);
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

/**
 * What stopping the server cut short, and how to go on: a training that had started keeps its
 * last checkpoint and resumes; one still waiting never began and is started again.
 */
export function interruptedLines(jobs: readonly JobInfo[], dataDir: string): string[] {
  if (jobs.length === 0) return [];
  const lines = ['Stopped. These trainings were interrupted:'];
  for (const j of jobs) {
    if (j.runId && j.state !== 'queued') {
      lines.push(`  ${j.name} (run ${j.runId}, ${j.state}): resume with \`flowlab train --resume ${j.runId} --data-dir ${JSON.stringify(dataDir)}\`, or "Continue training" on its page after \`flowlab serve\``);
    } else if (j.runId) {
      lines.push(`  ${j.name} (run ${j.runId}, waiting to resume): resume with \`flowlab train --resume ${j.runId} --data-dir ${JSON.stringify(dataDir)}\``);
    } else {
      lines.push(`  ${j.name} (waiting, not started): start it again from New experiment`);
    }
  }
  return lines;
}
