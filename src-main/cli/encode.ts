/** `flowlab encode`: held-out images of an image run to the base and back, with the cycle error. */
import { dirname, extname, resolve } from 'node:path';
import { errorCode, UserError } from '../errors.js';
import { toUnitScale, writeImageGrid } from '../engine/data/images/index.js';
import { DEFAULT_SOLVER_STEPS, MAX_CYCLE_IMAGES, MAX_SOLVER_STEPS, SOLVERS, type SolverName } from '../api/schemas.js';
import { makeFolders } from '../paths.js';
import { openStore } from '../store/index.js';
import { encodeDecode } from '../service/encodeDecode.js';
import { backendArg, COMMON_HELP, dataDir, num, parse, SOLVE_BACKEND_HELP, str, threads } from './args.js';

/** Held-out images encoded when --images is not given. */
const DEFAULT_IMAGES = '0,1,2,3,4,5,6,7';
/** The codes drawn at a third of their scale: a standard normal's +-3 fills black to white. */
const CODE_DISPLAY_SCALE = 1 / 3;

export const ENCODE_HELP = `flowlab encode --run RUN_ID [options]

Image runs: integrates held-out images of the run's dataset from data to the base (t = 1 -> 0)
and back with one ODE solver, and prints each image's cycle error: the RMS of reconstruction -
original in pixel scale [0, 1] (x 255 for grey levels).
  --run RUN_ID          the run (see \`flowlab runs\`)
  --images I,J,...      held-out image indices, 1 to ${MAX_CYCLE_IMAGES} of them (default ${DEFAULT_IMAGES})
  --solver NAME         euler | heun | midpoint | rk4 | dopri5 (default rk4)
  --steps K             steps of a fixed-step solver each way, at most ${MAX_SOLVER_STEPS} (default ${DEFAULT_SOLVER_STEPS})
  --rtol X --atol X     tolerances of dopri5
  --out FILE.png        a grid: the originals, their codes (at a third of their scale: +-3 spans
                        black to white) and the reconstructions, one row each
${SOLVE_BACKEND_HELP}
${COMMON_HELP}`;

function parseIndices(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length < 1 || parts.length > MAX_CYCLE_IMAGES || !parts.every((p) => /^\d+$/.test(p))) {
    throw new UserError(`--images must list 1 to ${MAX_CYCLE_IMAGES} held-out image indices (whole numbers from 0) separated by commas, got '${raw}'`);
  }
  return parts.map(Number);
}

export async function encodeCommand(argv: string[]): Promise<number> {
  const v = parse('encode', argv, {
    run: { type: 'string' },
    backend: { type: 'string' },
    images: { type: 'string' },
    solver: { type: 'string' },
    steps: { type: 'string' },
    rtol: { type: 'string' },
    atol: { type: 'string' },
    out: { type: 'string' },
  });
  if (v.help) {
    console.log(ENCODE_HELP);
    return 0;
  }
  const runId = str(v, 'run');
  if (!runId) throw new UserError('no run given; pass --run RUN_ID (list runs with `flowlab runs`)');
  const solver = (str(v, 'solver') ?? 'rk4') as SolverName;
  if (!(SOLVERS as readonly string[]).includes(solver)) throw new UserError(`unknown solver '${solver}'; choose one of euler, heun, midpoint, rk4, dopri5`);
  const indices = parseIndices(str(v, 'images') ?? DEFAULT_IMAGES);
  const out = str(v, 'out');
  if (out !== undefined && extname(out).toLowerCase() !== '.png') throw new UserError(`--out must end in .png, got '${out}'`);
  const path = out ? resolve(out) : null;
  if (path) {
    try {
      makeFolders(dirname(path));
    } catch (e) {
      throw new UserError(`cannot create the folder of ${path} (${errorCode(e)}); choose another --out`);
    }
  }
  const store = openStore(dataDir(v));
  try {
    const r = await encodeDecode({
      store, runId, indices, solver,
      steps: num(v, 'steps', { integer: true, min: 1, max: MAX_SOLVER_STEPS }),
      rtol: num(v, 'rtol', { positive: true }),
      atol: num(v, 'atol', { positive: true }),
      threads: threads(v),
      backend: backendArg(v),
    });
    if (path) {
      const all = new Float32Array(3 * r.n * r.d);
      all.set(toUnitScale(r.original), 0);
      all.set(toUnitScale(r.noise.map((z) => z * CODE_DISPLAY_SCALE)), r.n * r.d);
      all.set(toUnitScale(r.reconstruction), 2 * r.n * r.d);
      try {
        await writeImageGrid(path, all, [3 * r.n, ...r.shape] as [number, number, number, number], { columns: r.n });
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`cannot write ${path} (${errorCode(e)}); choose a writable --out path`);
      }
      store.addArtifact(runId, 'png', path);
    }
    const mean = r.rms.reduce((a, b) => a + b, 0) / r.n;
    if (v.json) console.log(JSON.stringify({ runId, images: indices, solver, rms: r.rms, meanRms: mean, nfe: r.nfe, seconds: r.seconds, out: path }));
    else {
      for (let i = 0; i < r.n; i++) console.log(`image ${indices[i]}: cycle error ${r.rms[i].toExponential(3)} (${(255 * r.rms[i]).toFixed(3)} grey levels)`);
      console.log(`${r.n} images encoded and decoded with ${solver} (${r.nfe} NFE) in ${r.seconds.toFixed(2)} s; mean cycle error ${mean.toExponential(3)}${path ? ` -> ${path}` : ''}`);
    }
    return 0;
  } finally {
    store.close();
  }
}
