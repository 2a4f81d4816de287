/** `flowlab sample`: draw samples from a trained run (or encode data with --reverse). */
import { dirname, extname, resolve } from 'node:path';
import { errorCode, UserError } from '../errors.js';
import { writeCsv, writeNpy, writeNpyArray } from '../engine/data/index.js';
import { toUnitScale, writeImageGrid, writeImagesNpy } from '../engine/data/images/index.js';
import {
  DEFAULT_SOLVER_STEPS, IMAGE_SAMPLER, isSdeSolver, MAX_INTERPOLATION_POINTS, MAX_SAMPLE_POINTS, MAX_SEED, MAX_SOLVER_STEPS, SDE_EPS, SOLVERS, type NoiseSpec, type SolverName,
} from '../api/schemas.js';
import { makeFolders } from '../paths.js';
import { openStore } from '../store/index.js';
import { defaultSampler, sampleRun, samplerLabel } from '../service/sample.js';
import { loadRunWeights } from '../service/runModel.js';
import { CHUNK_ROWS } from '../engine/sample/netSampler.js';
import { backendArg, COMMON_HELP, dataDir, num, parse, SOLVE_BACKEND_HELP, str, threads } from './args.js';

/** Samples drawn when --n is not given: enough for a smooth density plot. */
const DEFAULT_CLI_SAMPLES = 10_000;
/** Images drawn when --n is not given: an 8 x 8 grid (a U-Net solve costs ~1000x a point's). */
const DEFAULT_CLI_IMAGES = 64;
/** Points of an --interpolate row when --n is not given. */
const DEFAULT_INTERPOLATION_POINTS = 8;

export const SAMPLE_HELP = `flowlab sample --run RUN_ID [options]

Integrates dx/dt = v(t, x) of the run's EMA weights from base draws (t = 0) to data (t = 1).
  --run RUN_ID          the run (see \`flowlab runs\`)
  --n N                 number of samples, at most ${MAX_SAMPLE_POINTS} (default ${DEFAULT_CLI_SAMPLES}; images ${DEFAULT_CLI_IMAGES})
  --solver NAME         ${SOLVERS.join(' | ')} (default rk4; an image run's samples:
                        ${IMAGE_SAMPLER.solver} in ${IMAGE_SAMPLER.steps} steps at the run's eps, train --sde-eps, default
                        ${IMAGE_SAMPLER.sdeEps}: they drew more recognisable digits)
  --steps K             steps of a fixed-step solver, at most ${MAX_SOLVER_STEPS} (default ${DEFAULT_SOLVER_STEPS})
  --rtol X --atol X     tolerances of dopri5 (default 1e-5)
  --sde-eps E           diffusion of the SDE samplers em and sde-heun, ${SDE_EPS.min} to ${SDE_EPS.max}
                        (default ${SDE_EPS.default}; 0 is the ODE); Gaussian base only, generation only
  --reverse             encode held-out data into the base instead (t = 1 -> 0)
  --seed S              seed of the base draws (and of the SDE samplers' noise)
  --interpolate A,B     start from n points on the arc (slerp) between the noise of seeds A and B
                        (a seed's noise is the first sample of --seed S; the row's ends decode to
                        those samples exactly); n from 2 to ${MAX_INTERPOLATION_POINTS}, default ${DEFAULT_INTERPOLATION_POINTS};
                        Gaussian base, generation only; a .png --out is one row
  --out FILE            write the samples to FILE.csv or FILE.npy; an image run's to FILE.npy
                        [n, C, H, W] float32 in pixel scale [0, 1] (codes, with --reverse, as
                        they are) or FILE.png, a grid of the images
  --trajectory FILE     also write every step's state to FILE.npy, shape [steps + 1, n, d] (images:
                        [steps + 1, n, C, H, W] in the flow's scale [-1, 1]), the starting points
                        first (euler, heun, rk4; t runs in equal steps)
${SOLVE_BACKEND_HELP}
${COMMON_HELP}`;

export async function sampleCommand(argv: string[]): Promise<number> {
  const v = parse('sample', argv, {
    run: { type: 'string' },
    backend: { type: 'string' },
    n: { type: 'string' },
    solver: { type: 'string' },
    steps: { type: 'string' },
    rtol: { type: 'string' },
    atol: { type: 'string' },
    'sde-eps': { type: 'string' },
    reverse: { type: 'boolean' },
    seed: { type: 'string' },
    out: { type: 'string' },
    trajectory: { type: 'string' },
    interpolate: { type: 'string' },
  });
  if (v.help) {
    console.log(SAMPLE_HELP);
    return 0;
  }
  const runId = str(v, 'run');
  if (!runId) throw new UserError('no run given; pass --run RUN_ID (list runs with `flowlab runs`)');
  const named = str(v, 'solver') as SolverName | undefined;
  if (named !== undefined && !(SOLVERS as readonly string[]).includes(named)) throw new UserError(`unknown solver '${named}'; choose one of ${SOLVERS.join(', ')}`);
  const givenEps = num(v, 'sde-eps', { min: SDE_EPS.min, max: SDE_EPS.max });
  if (givenEps !== undefined && named !== undefined && !isSdeSolver(named)) throw new UserError(`--sde-eps applies to --solver em or sde-heun, not ${named}`);
  const out = str(v, 'out');
  if (out && !['.csv', '.npy', '.png'].includes(extname(out).toLowerCase())) {
    throw new UserError(`--out must end in .csv or .npy (or .png for an image run), got '${out}'`);
  }
  const trajectory = str(v, 'trajectory');
  if (trajectory !== undefined) {
    if (extname(trajectory).toLowerCase() !== '.npy') throw new UserError(`--trajectory must end in .npy, got '${trajectory}'`);
    if (named === 'dopri5') throw new UserError('--trajectory needs a fixed-step solver; pass --solver euler, heun or rk4 (dopri5 picks its own times)');
  }
  // every flag is checked before the run is looked up, so a bad flag is named first
  const backend = backendArg(v);
  const threadCount = threads(v);
  const steps = num(v, 'steps', { integer: true });
  const rtol = num(v, 'rtol', { positive: true });
  const atol = num(v, 'atol', { positive: true });
  const seed = num(v, 'seed', { integer: true, min: 0, max: 0xffffffff });
  const noise = interpolationSpec(str(v, 'interpolate'), !!v.reverse, str(v, 'seed') !== undefined);
  const path = out ? resolve(out) : null;
  const trajectoryPath = trajectory ? resolve(trajectory) : null;
  // before sampling, so a long solve is not lost to a bad path
  for (const [p, flag] of [[path, '--out'], [trajectoryPath, '--trajectory']] as const) {
    if (!p) continue;
    try {
      makeFolders(dirname(p));
    } catch (e) {
      throw new UserError(`cannot create the folder of ${p} (${errorCode(e)}); choose another ${flag}`);
    }
  }
  const givenN = num(v, 'n', { integer: true, ...(noise ? { min: 2, max: MAX_INTERPOLATION_POINTS } : {}) });
  const store = openStore(dataDir(v));
  // One read of the run's checkpoint serves the defaults below and the solve itself.
  const weights = loadRunWeights(store, runId);
  const images = weights.shape.length > 1;
  const n = givenN ?? (noise ? DEFAULT_INTERPOLATION_POINTS : images ? DEFAULT_CLI_IMAGES : DEFAULT_CLI_SAMPLES);
  // Left unnamed, the service picks the solver (an image run's plain samples: IMAGE_SAMPLER; else rk4): named here for the messages.
  const solver = named ?? defaultSampler(weights, !noise && !v.reverse && trajectory === undefined).solver;
  // Nothing is written until every sample is drawn, so Ctrl-C loses only this solve: say so.
  const onSigint = () => {
    process.stderr.write(`\nstopped: the ${n} samples from run ${runId} (${solver}) were not finished; nothing was written${path ? ` to ${path}` : ''}\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const progress = new RowProgress(!v.json && n > CHUNK_ROWS ? `drawing ${n} samples from run ${runId} with ${solver}...` : null);
  try {
    const r = await sampleRun({
      store,
      runId,
      weights,
      n,
      onRows: (done, total) => progress.update(done, total),
      solver: named,
      steps,
      rtol,
      atol,
      sdeEps: givenEps,
      reverse: !!v.reverse,
      seed,
      threads: threadCount,
      backend,
      snapshots: trajectoryPath !== null,
      noise,
    });
    const ext = path ? extname(path).toLowerCase() : '';
    if (path && ext === '.png' && !images) throw new UserError(`--out ${path}: a .png grid needs an image run; run ${r.runId} samples ${r.d}-D points (use .csv or .npy)`);
    if (path) {
      const imageShape = [r.n, ...r.shape] as [number, number, number, number];
      try {
        if (ext === '.csv') writeCsv(path, r.x, r.n, r.d);
        else if (ext === '.png') await writeImageGrid(path, toUnitScale(r.x), imageShape, noise ? { columns: r.n } : {});
        else if (images) writeImagesNpy(path, v.reverse ? r.x : toUnitScale(r.x), imageShape);
        else writeNpy(path, r.x, r.n, r.d);
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`cannot write ${path} (${errorCode(e)}); choose a writable --out path`);
      }
      store.addArtifact(r.runId, extname(path).slice(1).toLowerCase(), path);
    }
    if (trajectoryPath && r.trajectory) {
      const states = [r.x0, ...r.trajectory];
      const all = new Float32Array(states.length * r.n * r.d);
      states.forEach((x, k) => all.set(x, k * r.n * r.d));
      try {
        writeNpyArray(trajectoryPath, all, [states.length, r.n, ...r.shape]);
      } catch (e) {
        throw new UserError(`cannot write ${trajectoryPath} (${errorCode(e)}); choose a writable --trajectory path`);
      }
      store.addArtifact(r.runId, 'trajectory', trajectoryPath);
    }
    if (v.json) console.log(JSON.stringify({ runId: r.runId, n: r.n, sampler: r.sampler, nfe: r.nfe, seconds: r.seconds, out: path, ...(trajectoryPath ? { trajectory: trajectoryPath } : {}) }));
    else console.log(`${r.n} samples from run ${r.runId} with ${samplerLabel(r.sampler)} (${r.nfe} NFE) in ${r.seconds.toFixed(2)} s${path ? ` -> ${path}` : ''}${trajectoryPath ? `; trajectory -> ${trajectoryPath}` : ''}`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    store.close();
  }
}

/** --interpolate A,B as a noise spec (undefined when absent). */
function interpolationSpec(raw: string | undefined, reverse: boolean, seeded: boolean): NoiseSpec | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => p.trim());
  const seeds = parts.map(Number);
  if (parts.length !== 2 || !parts.every((p) => /^\d+$/.test(p)) || !seeds.every((x) => x <= MAX_SEED)) {
    throw new UserError(`--interpolate must be two seeds A,B (whole numbers from 0 to ${MAX_SEED}), got '${raw}'`);
  }
  if (reverse) throw new UserError('--interpolate starts a generation from noise; it does not combine with --reverse');
  if (seeded) throw new UserError('--interpolate names its own two seeds; leave out --seed');
  return { kind: 'slerp', seeds: [seeds[0], seeds[1]] };
}

/**
 * Rows solved so far, one line per chunk on stderr, under a heading written with the first one
 * (so a solve that fails at once still fails with one line); null: silent.
 */
class RowProgress {
  private readonly started = performance.now();
  constructor(private heading: string | null) {}

  update(done: number, total: number): void {
    if (this.heading === null) return;
    if (this.heading) {
      process.stderr.write(`${this.heading}\n`);
      this.heading = '';
    }
    const s = (performance.now() - this.started) / 1000;
    const eta = done > 0 ? (s * (total - done)) / done : Number.NaN;
    process.stderr.write(`${done}/${total} samples (${((100 * done) / total).toFixed(0)}%) ${s.toFixed(1)} s${done < total ? `, about ${eta.toFixed(0)} s left` : ''}\n`);
  }
}
