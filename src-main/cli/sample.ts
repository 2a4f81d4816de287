/** `flowlab sample`: draw samples from a trained run (or encode data with --reverse). */
import { dirname, extname, resolve } from 'node:path';
import { errorCode, UserError } from '../errors.js';
import { writeCsv, writeNpy, writeNpyArray } from '../engine/data/index.js';
import { DEFAULT_SOLVER_STEPS, isSdeSolver, MAX_SAMPLE_POINTS, MAX_SOLVER_STEPS, SDE_EPS, SOLVERS, type SolverName } from '../api/schemas.js';
import { makeFolders } from '../paths.js';
import { openStore } from '../store/index.js';
import { sampleRun } from '../service/sample.js';
import { backendArg, COMMON_HELP, dataDir, num, parse, SOLVE_BACKEND_HELP, str, threads } from './args.js';

/** Samples drawn when --n is not given: enough for a smooth density plot. */
const DEFAULT_CLI_SAMPLES = 10_000;

export const SAMPLE_HELP = `flowlab sample --run RUN_ID [options]

Integrates dx/dt = v(t, x) of the run's EMA weights from base draws (t = 0) to data (t = 1).
  --run RUN_ID          the run (see \`flowlab runs\`)
  --n N                 number of samples, at most ${MAX_SAMPLE_POINTS} (default ${DEFAULT_CLI_SAMPLES})
  --solver NAME         ${SOLVERS.join(' | ')} (default rk4)
  --steps K             steps of a fixed-step solver, at most ${MAX_SOLVER_STEPS} (default ${DEFAULT_SOLVER_STEPS})
  --rtol X --atol X     tolerances of dopri5 (default 1e-5)
  --sde-eps E           diffusion of the SDE samplers em and sde-heun, ${SDE_EPS.min} to ${SDE_EPS.max}
                        (default ${SDE_EPS.default}; 0 is the ODE); Gaussian base only, generation only
  --reverse             encode held-out data into the base instead (t = 1 -> 0)
  --seed S              seed of the base draws (and of the SDE samplers' noise)
  --out FILE            write the samples to FILE.csv or FILE.npy
  --trajectory FILE     also write every step's state to FILE.npy, shape [steps + 1, n, d], the
                        starting points first (euler, heun, rk4; t runs in equal steps)
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
  });
  if (v.help) {
    console.log(SAMPLE_HELP);
    return 0;
  }
  const runId = str(v, 'run');
  if (!runId) throw new UserError('no run given; pass --run RUN_ID (list runs with `flowlab runs`)');
  const solver = (str(v, 'solver') ?? 'rk4') as SolverName;
  if (!(SOLVERS as readonly string[]).includes(solver)) throw new UserError(`unknown solver '${solver}'; choose one of ${SOLVERS.join(', ')}`);
  const sdeEps = num(v, 'sde-eps', { min: SDE_EPS.min, max: SDE_EPS.max });
  if (sdeEps !== undefined && !isSdeSolver(solver)) throw new UserError(`--sde-eps applies to --solver em or sde-heun, not ${solver}`);
  const out = str(v, 'out');
  if (out && !['.csv', '.npy'].includes(extname(out).toLowerCase())) {
    throw new UserError(`--out must end in .csv or .npy, got '${out}'`);
  }
  const trajectory = str(v, 'trajectory');
  if (trajectory !== undefined) {
    if (extname(trajectory).toLowerCase() !== '.npy') throw new UserError(`--trajectory must end in .npy, got '${trajectory}'`);
    if (solver === 'dopri5') throw new UserError('--trajectory needs a fixed-step solver; pass --solver euler, heun or rk4 (dopri5 picks its own times)');
  }
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
  const store = openStore(dataDir(v));
  try {
    const r = await sampleRun({
      store,
      runId,
      n: num(v, 'n', { integer: true }) ?? DEFAULT_CLI_SAMPLES,
      solver,
      steps: num(v, 'steps', { integer: true }),
      rtol: num(v, 'rtol', { positive: true }),
      atol: num(v, 'atol', { positive: true }),
      sdeEps,
      reverse: !!v.reverse,
      seed: num(v, 'seed', { integer: true, min: 0, max: 0xffffffff }),
      threads: threads(v),
      backend: backendArg(v),
      snapshots: trajectoryPath !== null,
    });
    if (path) {
      try {
        if (extname(path).toLowerCase() === '.csv') writeCsv(path, r.x, r.n, r.d);
        else writeNpy(path, r.x, r.n, r.d);
      } catch (e) {
        throw new UserError(`cannot write ${path} (${errorCode(e)}); choose a writable --out path`);
      }
      store.addArtifact(r.runId, extname(path).slice(1).toLowerCase(), path);
    }
    if (trajectoryPath && r.trajectory) {
      const states = [r.x0, ...r.trajectory];
      const all = new Float32Array(states.length * r.n * r.d);
      states.forEach((x, k) => all.set(x, k * r.n * r.d));
      try {
        writeNpyArray(trajectoryPath, all, [states.length, r.n, r.d]);
      } catch (e) {
        throw new UserError(`cannot write ${trajectoryPath} (${errorCode(e)}); choose a writable --trajectory path`);
      }
      store.addArtifact(r.runId, 'trajectory', trajectoryPath);
    }
    if (v.json) console.log(JSON.stringify({ runId: r.runId, n: r.n, nfe: r.nfe, seconds: r.seconds, out: path, ...(trajectoryPath ? { trajectory: trajectoryPath } : {}) }));
    else console.log(`${r.n} samples from run ${r.runId} with ${solver}${isSdeSolver(solver) ? ` (eps ${sdeEps ?? SDE_EPS.default})` : ''} (${r.nfe} NFE) in ${r.seconds.toFixed(2)} s${path ? ` -> ${path}` : ''}${trajectoryPath ? `; trajectory -> ${trajectoryPath}` : ''}`);
    return 0;
  } finally {
    store.close();
  }
}
