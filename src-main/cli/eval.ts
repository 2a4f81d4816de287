/** `flowlab eval`: measure a trained run and store the figures with it. */
import { UserError } from '../errors.js';
import { openStore } from '../store/index.js';
import { evaluateRun, splitEvaluation, DEFAULT_EVAL_N, DEFAULT_STEPS_EVAL_N } from '../service/evaluate.js';
import { formatFigure, floorNote, metricInfo, metricRows, STEP_METHODS, stepsKey } from '../api/metricInfo.js';
import { DEFAULT_IMAGE_EVAL_N, IMAGE_EVAL_TOL } from '../service/evaluateImages.js';
import { EVAL_POINTS } from '../api/schemas.js';
import { backendArg, COMMON_HELP, dataDir, num, parse, SOLVE_BACKEND_HELP, str, threads } from './args.js';

export const EVAL_HELP = `flowlab eval --run RUN_ID [options]

Measures a run on its held-out data (all three groups unless some are named):
  --nll                 log-likelihood by the instantaneous change of variables: NLL (nats) with
                        standard error, bits/dim, and the KL gap to the true entropy where known
  --distances           energy distance, MMD, sliced W2 and exact W2 (n <= 2000), each beside the
                        floor measured between two independent data samples
  --geometry            kinetic energy of the learned path, straightness, cycle-consistency error
  --at T                only the NLL (nats) of held-out points pushed to time T along the run's
                        interpolant, T in [0, tMax]: an upper bound on the entropy of rho_T
  --nfe                 only the steps the run's samplers need: euler and rk4 at 2, 4, 8, 16, 32
                        steps, each sampler's KL gap by the exact density of its samples (point
                        data; ${DEFAULT_STEPS_EVAL_N} held-out points unless --n says) and the energy distance of its
                        samples, and the fewest evaluations within 0.02 nats of the rk4-50 sampler
  --n N                 held-out points to use, ${EVAL_POINTS.min} to ${EVAL_POINTS.max} (default ${DEFAULT_EVAL_N})
  --solver NAME         dopri5 (default) or rk4, for the likelihood
  --rtol X --atol X     dopri5 tolerances (default 1e-5; image runs ${IMAGE_EVAL_TOL})
  --steps K             rk4 steps (default 100)
  --max-steps K         dopri5 step budget (default 10000); running out is reported with the time reached
  --hutchinson K        estimate the divergence with K Rademacher probes (default: exact for d <= 16;
                        image runs: 1 probe, bits/dim = NLL / (D ln 2) + 7 on held-out images,
                        ${DEFAULT_IMAGE_EVAL_N} of them unless --n says otherwise)
${SOLVE_BACKEND_HELP}
${COMMON_HELP}`;

export async function evalCommand(argv: string[]): Promise<number> {
  const v = parse('eval', argv, {
    run: { type: 'string' },
    backend: { type: 'string' },
    n: { type: 'string' },
    nll: { type: 'boolean' },
    distances: { type: 'boolean' },
    geometry: { type: 'boolean' },
    solver: { type: 'string' },
    rtol: { type: 'string' },
    atol: { type: 'string' },
    steps: { type: 'string' },
    hutchinson: { type: 'string' },
    'max-steps': { type: 'string' },
    at: { type: 'string' },
    nfe: { type: 'boolean' },
  });
  if (v.help) {
    console.log(EVAL_HELP);
    return 0;
  }
  const runId = str(v, 'run');
  if (!runId) throw new UserError('no run given; pass --run RUN_ID (list runs with `flowlab runs`)');
  const solver = str(v, 'solver') ?? 'dopri5';
  if (solver !== 'dopri5' && solver !== 'rk4') throw new UserError(`--solver must be dopri5 or rk4 for eval, got '${solver}'`);
  const store = openStore(dataDir(v));
  try {
    const r = await evaluateRun({
      store,
      runId,
      n: num(v, 'n', { integer: true }),
      nll: !!v.nll,
      distances: !!v.distances,
      geometry: !!v.geometry,
      solver,
      rtol: num(v, 'rtol', { positive: true }),
      atol: num(v, 'atol', { positive: true }),
      steps: num(v, 'steps', { integer: true, positive: true }),
      hutchinson: num(v, 'hutchinson', { integer: true }),
      maxSteps: num(v, 'max-steps', { integer: true, positive: true }),
      at: num(v, 'at'),
      nfe: !!v.nfe,
      threads: threads(v),
      backend: backendArg(v),
      onNote: (m) => process.stderr.write(`note: ${m}\n`),
    });
    if (v.json) console.log(JSON.stringify(r));
    else console.log(evaluationText(r).join('\n'));
    return 0;
  } finally {
    store.close();
  }
}

/**
 * One line per figure: its name, value +- standard error and unit, its floor, and why it is
 * undefined where it is; the names and units are the app's (api/metricInfo.ts).
 */
export function evaluationText(e: Parameters<typeof splitEvaluation>[0]): string[] {
  const { results, reasons } = splitEvaluation(e);
  const lines: string[] = [];
  for (const info of metricRows(Object.keys(results))) {
    const value = results[info.key];
    const label = `${info.name}${info.unit ? ` (${info.unit})` : ''}`.padEnd(44);
    if (value === null) {
      lines.push(`${label} undefined: ${reasons[info.key] ?? 'not computed'}`);
      continue;
    }
    let text = formatFigure(info, value);
    const se = info.stdErr ? results[info.stdErr] : undefined;
    if (typeof se === 'number') text += ` ± ${formatFigure(metricInfo(info.stdErr!), se)}`;
    const floor = info.floor ? results[info.floor] : undefined;
    if (typeof floor === 'number') text += `   floor ${formatFigure(info, floor)}`;
    const note = floorNote(info, value, floor);
    lines.push(`${label} ${text}${note ? `   (${note})` : ''}`);
  }
  return [...lines, ...stepsTable(splitEvaluation(e).lists)];
}

/** The sampler-steps curves as a table: one row per method and figure, one column per step count. */
function stepsTable(lists: Record<string, (number | null)[]>): string[] {
  const counts = lists.stepCounts;
  if (!counts) return [];
  const cell = (v: number | null) => (v === null ? 'hole' : v.toPrecision(3)).padStart(9);
  const lines = ['', `${'Sampler steps'.padEnd(44)} ${counts.map((c) => String(c).padStart(9)).join('')}`];
  for (const figure of ['Kl', 'Nll', 'Energy'] as const) {
    for (const method of STEP_METHODS) {
      const row = lists[stepsKey(method, figure)];
      if (!row) continue;
      const name = { Kl: 'KL gap (nats)', Nll: 'NLL (nats)', Energy: 'energy distance' }[figure];
      lines.push(`${`${method} sampler, ${name}`.padEnd(44)} ${row.map(cell).join('')}`);
    }
  }
  if (Object.values(lists).some((row) => row.includes(null))) {
    lines.push('(hole: some held-out point has no preimage under that sampler: its density there is 0, the figure infinite)');
  }
  return lines;
}
