/** `flowlab train`: train a new run (or resume one) and report it. */
import { UserError } from '../errors.js';
import { ACTIVATIONS, defaultConfig, INTERPOLANTS, BACKENDS, type ExperimentConfig, type BackendChoice, type TimeSampling } from '../engine/config.js';
import { randomSeed } from '../engine/random.js';
import { openStore } from '../store/index.js';
import { FINAL_LOSS_WINDOW, trainRun } from '../service/train.js';
import { COMMON_HELP, dataDir, num, parse, str, threads, type OptionSpec } from './args.js';
import { Progress } from './progress.js';

export const TRAIN_HELP = `flowlab train --dataset <toy | file.csv | file.npy> [options]

Trains a velocity net by the stochastic-interpolant regression loss and stores the run.
  --dataset SPEC        checkerboard, 8gaussians, moons, spirals, rings, pinwheel, swissroll,
                        gaussian (2-D standard normal), gaussian:MEAN[:COV] (any dimension; COV
                        one variance, the diagonal, or all d x d entries: gaussian:1,-2:2,0.3,0.3,1),
                        or a .csv / .npy file of numeric columns
  --base SPEC           base density: gaussian (default) or a dataset spec (data-to-data)
  --interpolant NAME    ${INTERPOLANTS.join(' | ')} (default trig)
  --steps N             optimizer steps (default 20000)
  --batch B             batch size (default 1024)
  --lr X                peak learning rate of Adam (beta2 0.98), warmup + cosine (default 1e-3)
  --lr-floor F          the cosine ends at F x lr (default 0.1; 0 decays to zero)
  --width W --depth D   hidden width and number of hidden layers (default 256 x 3)
  --activation NAME     ${ACTIVATIONS.join(' | ')} (default silu)
  --ema X               EMA decay of the weights used for sampling (default 0.999)
  --time-sampling NAME  uniform | late (default late: t = 1 - (1 - u)^2, more weight near the data)
  --seed S              random seed (default: random, recorded with the run)
  --name TEXT           a name for the run
  --resume RUN_ID       continue an interrupted or stopped run from its last checkpoint
  --backend NAME        ${BACKENDS.join(' | ')} (default auto: the CPU, measured fastest for training these nets)
  --checkpoint-seconds S
                        seconds between checkpoints (default 5)
${COMMON_HELP}`;

export const TRAIN_OPTIONS: OptionSpec = {
  dataset: { type: 'string' },
  base: { type: 'string' },
  interpolant: { type: 'string' },
  steps: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  'lr-floor': { type: 'string' },
  width: { type: 'string' },
  depth: { type: 'string' },
  activation: { type: 'string' },
  ema: { type: 'string' },
  'time-sampling': { type: 'string' },
  seed: { type: 'string' },
  name: { type: 'string' },
  resume: { type: 'string' },
  backend: { type: 'string' },
  'checkpoint-seconds': { type: 'string' },
};

export function configFromArgs(v: ReturnType<typeof parse>): ExperimentConfig {
  const dataset = str(v, 'dataset');
  if (!dataset) throw new UserError('no dataset given; pass --dataset <toy name | file.csv | file.npy> (e.g. --dataset checkerboard)');
  const c = defaultConfig(dataset, num(v, 'seed', { integer: true, min: 0, max: 0xffffffff }) ?? randomSeed());
  const set = <T>(x: T | undefined, apply: (x: T) => void) => x !== undefined && apply(x);
  set(str(v, 'base'), (x) => (c.base = x));
  set(str(v, 'interpolant'), (x) => (c.interpolant = x as ExperimentConfig['interpolant']));
  set(num(v, 'steps', { integer: true, positive: true }), (x) => (c.train.steps = x));
  set(num(v, 'batch', { integer: true, positive: true }), (x) => (c.train.batch = x));
  set(num(v, 'lr', { positive: true }), (x) => (c.train.lr = x));
  set(num(v, 'lr-floor', { min: 0, max: 1 }), (x) => (c.train.lrFloor = x));
  set(num(v, 'width', { integer: true, positive: true }), (x) => (c.net.width = x));
  set(num(v, 'depth', { integer: true, positive: true }), (x) => (c.net.depth = x));
  set(str(v, 'activation'), (x) => (c.net.activation = x as ExperimentConfig['net']['activation']));
  set(num(v, 'ema', { min: 0, max: 0.999999 }), (x) => (c.train.emaDecay = x));
  set(str(v, 'time-sampling'), (x) => (c.train.timeSampling = x as TimeSampling));
  set(str(v, 'name'), (x) => (c.name = x));
  set(str(v, 'backend'), (x) => (c.backend = x as BackendChoice));
  set(threads(v), (x) => (c.threads = x));
  return c;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const v = parse('train', argv, TRAIN_OPTIONS);
  if (v.help) {
    console.log(TRAIN_HELP);
    return 0;
  }
  const resume = str(v, 'resume');
  const config = resume ? undefined : configFromArgs(v);
  const store = openStore(dataDir(v));
  const progress = new Progress();
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after this chunk (the run stays resumable); press Ctrl-C again to quit at once\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  let lastLoss: number | undefined;
  try {
    const summary = await trainRun({
      store,
      config,
      resumeRunId: resume,
      signal: abort.signal,
      checkpointSeconds: num(v, 'checkpoint-seconds', { positive: true }),
      onEvent: (e) => {
        if (e.type === 'started') process.stderr.write(`run ${e.runId}: ${e.config.dataset}, ${e.config.interpolant}, seed ${e.config.train.seed}${e.resumedFrom ? `, resumed at step ${e.resumedFrom}` : ''}\n`);
        if (e.type === 'loss') lastLoss = e.losses[e.losses.length - 1];
        if (e.type === 'progress') progress.update(e.step, e.steps, e.stepsPerSec, lastLoss);
      },
    });
    progress.done();
    if (v.json) console.log(JSON.stringify({ runId: summary.runId, status: summary.status, steps: summary.steps, finalLoss: summary.finalLoss, seconds: summary.seconds, stepsPerSec: summary.stepsPerSec, backend: summary.backend }));
    else console.log(`run ${summary.runId} ${summary.status}: ${steps(summary.steps)}, final loss ${summary.finalLoss.toPrecision(4)} (mean of the last ${steps(Math.min(FINAL_LOSS_WINDOW, summary.steps))}), ${summary.stepsPerSec.toFixed(1)} steps/s on ${summary.backend}, ${summary.seconds.toFixed(1)} s`);
    if (summary.status === 'failed') {
      process.stderr.write(`error: ${summary.failureReason}\n`);
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    store.close();
  }
}

const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;
