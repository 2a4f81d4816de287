/**
 * `flowlab train`: train a new run (or resume one) and report it. The run is the one the app
 * would start from the same config: the same checks, previews while it trains, final samples.
 */
import { IMAGE_INTERPOLANT, IMAGE_TRAIN_DEFAULTS, type ExperimentConfig } from '../api/config.js';
import { UserError } from '../errors.js';
import { randomSeed } from '../engine/random.js';
import { openStore } from '../store/index.js';
import { FINAL_LOSS_WINDOW } from '../service/train.js';
import { runTraining } from '../service/runTraining.js';
import { defaultConfigFor } from '../service/imageRunData.js';
import { COMMON_HELP, dataDir, num, parse, str, type OptionSpec } from './args.js';
import { applyConfigFlags, CONFIG_OPTIONS, configFlagsHelp } from './configFlags.js';
import { Progress } from './progress.js';

export const TRAIN_HELP = `flowlab train --dataset <toy | file.csv | file.npy | images> [options]

Trains a velocity net by the stochastic-interpolant regression loss and stores the run.
  --dataset SPEC        checkerboard, 8gaussians, moons, spirals, rings, pinwheel, swissroll,
                        gaussian (2-D standard normal), gaussian:MEAN[:COV] (any dimension; COV
                        one variance, the diagonal, or all d x d entries: gaussian:1,-2:2,0.3,0.3,1),
                        or a .csv / .npy file of numeric columns; images: mnist, a folder of
                        .png/.jpg pictures, cifar-10-python.tar.gz (or a data_batch_N file), or
                        an .npy of images [N, H, W] / [N, C, H, W]. Image datasets train a U-Net
                        with image defaults (--net mlp flattens them instead): --interpolant
                        ${IMAGE_INTERPOLANT}, --steps ${IMAGE_TRAIN_DEFAULTS.steps}, --batch ${IMAGE_TRAIN_DEFAULTS.batch}, --lr ${IMAGE_TRAIN_DEFAULTS.lr}, --ema ${IMAGE_TRAIN_DEFAULTS.emaDecay},
                        --time-sampling ${IMAGE_TRAIN_DEFAULTS.timeSampling}, and the U-Net defaults below
${configFlagsHelp(['threads'])}
  --resume RUN_ID       continue an interrupted or stopped run from its last checkpoint
  --checkpoint-seconds S
                        seconds between checkpoints (default 5)
${COMMON_HELP}

Without --seed a random seed is drawn and recorded with the run.`;

export const TRAIN_OPTIONS: OptionSpec = {
  dataset: { type: 'string' },
  ...CONFIG_OPTIONS,
  resume: { type: 'string' },
  'checkpoint-seconds': { type: 'string' },
};

/** The config the flags describe, every other field at its default; checked by the service. */
export function configFromArgs(v: ReturnType<typeof parse>): ExperimentConfig {
  const dataset = str(v, 'dataset');
  if (!dataset) throw new UserError('no dataset given; pass --dataset <toy name | file.csv | file.npy> (e.g. --dataset checkerboard)');
  const c = defaultConfigFor(dataset, randomSeed());
  applyConfigFlags(c, v);
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
    const summary = await runTraining({
      store,
      config,
      resumeRunId: resume,
      signal: abort.signal,
      checkpointSeconds: num(v, 'checkpoint-seconds', { positive: true }),
      onEvent: (e) => {
        if (e.type === 'started') process.stderr.write(`run ${e.runId}: ${e.config.dataset}, ${e.config.interpolant}, seed ${e.config.train.seed}${e.resumedFrom ? `, resumed at step ${e.resumedFrom}` : ''}\n`);
        if (e.type === 'loss') lastLoss = e.losses[e.losses.length - 1] ?? undefined;
        if (e.type === 'progress') progress.update(e.step, e.steps, e.stepsPerSec, lastLoss);
      },
    });
    progress.done();
    if (v.json) console.log(JSON.stringify({ runId: summary.runId, status: summary.status, steps: summary.steps, finalLoss: summary.finalLoss, seconds: summary.seconds, stepsPerSec: summary.stepsPerSec, backend: summary.backend, ...(summary.fieldError !== undefined ? { fieldError: summary.fieldError } : {}), ...(summary.uniformLoss !== undefined ? { uniformLoss: summary.uniformLoss } : {}) }));
    else console.log(`run ${summary.runId} ${summary.status}: ${steps(summary.steps)}, final loss ${summary.finalLoss?.toPrecision(4) ?? 'none'} (mean of the last ${steps(Math.min(FINAL_LOSS_WINDOW, summary.steps))}), ${summary.stepsPerSec.toFixed(1)} steps/s on ${summary.backend}, ${summary.seconds.toFixed(1)} s`);
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
