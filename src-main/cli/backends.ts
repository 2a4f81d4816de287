/**
 * `flowlab backends`: which ONNX Runtime backends work here (and why not), what 'auto' decides per
 * job from this machine's calibration with the numbers behind it (--calibrate measures anew),
 * and (--check) whether one backend agrees with the CPU.
 */
import { checkBackend } from '../engine/backendCheck.js';
import { decide, JOB_KINDS, machineKey, SIZE_BUCKETS, type Calibration, type Decision } from '../engine/calibration.js';
import { availableBackends, BACKEND_PREFERENCE, probeBackend, type Backend } from '../engine/onnx/runtime.js';
import { UserError } from '../errors.js';
import { loadCalibration, runCalibration, usableBackends } from '../service/calibration.js';
import { COMMON_HELP, dataDir, num, parse, str, threads } from './args.js';

export const BACKENDS_HELP = `flowlab backends [options]

Lists the backends a FlowLab install can have (cuda, dml, coreml, webgpu, cpu), whether each runs
here and why not, and what 'auto' chooses for each job (training an MLP, training a U-Net,
sampling) and size, with the measured rates behind it.
  --calibrate           measure this machine again (seconds; cached in the data folder per
                        machine and app version) and print the decisions
  --seconds S           timed seconds per calibration measurement (default 0.5)
  --check NAME          run FlowLab's training and sampling programs on NAME (${BACKEND_PREFERENCE.join(', ')})
                        and on the CPU from the same inputs; print the largest differences and
                        the speeds; exit 1 if a difference passes --tol
  --tol X               largest difference accepted (default 1e-4)
  --train-steps LIST    step counts at which training is compared (default 1,50,500)
  --n N                 points sampled (default 4096)
  --speed               with --check, also time training and sampling on both
${COMMON_HELP}

'auto' (the default backend of train, sample and eval) takes, per job kind and size, the backend
and step runner this machine's calibration measured fastest, among those that run on a hardware
device (a software Vulkan device such as Mesa's lavapipe is measured but never chosen). Where a
hardware GPU backend works and nothing is measured yet, the first job measures; with no GPU,
training stays on the CPU and solving goes to the CPU too.`;

/** The decisions table: one line per job kind and size, then the rates measured for it. */
export function decisionLines(c: Calibration | null, decisions: Decision[]): string[] {
  const lines: string[] = [];
  if (!c) lines.push('auto: nothing measured on this machine yet (`flowlab backends --calibrate` measures in seconds)');
  else lines.push(`auto, from the calibration of ${c.measuredAt} (${c.seconds.toFixed(1)} s; CPU threads: ${c.threads || 'one per core'}):`);
  for (const d of decisions) {
    const rate = d.perSecond === null ? '' : ` at ${d.perSecond.toFixed(1)} ${d.job === 'sample' ? 'samples/s' : 'steps/s'}`;
    lines.push(`  ${`${d.job} ${d.size}`.padEnd(17)} -> ${d.backend}${d.runner ? ` (${d.runner} runner)` : ''}${rate}: ${d.why}`);
    for (const e of c?.entries.filter((x) => x.job === d.job && x.size === d.size) ?? []) {
      const what = `${e.backend}${e.runner ? ` ${e.runner}` : ''}`;
      const value = e.perSecond !== null ? `${e.perSecond.toFixed(1)} ${e.unit}` : e.software ? (e.error ?? 'not measured') : `failed: ${e.error}`;
      lines.push(`      ${what.padEnd(16)} ${value}${e.software ? ' (software device: not chosen)' : ''}`);
    }
  }
  return lines;
}


const exp = (x: number) => x.toExponential(1);

export async function backendsCommand(argv: string[]): Promise<number> {
  const v = parse('backends', argv, {
    check: { type: 'string' }, tol: { type: 'string' }, speed: { type: 'boolean' }, 'train-steps': { type: 'string' }, n: { type: 'string' },
    calibrate: { type: 'boolean' }, seconds: { type: 'string' },
  });
  if (v.help) {
    console.log(BACKENDS_HELP);
    return 0;
  }
  const check = str(v, 'check');
  if (!check) {
    const dir = dataDir(v);
    const seconds = num(v, 'seconds', { positive: true });
    const list = await availableBackends();
    const calibration = v.calibrate
      ? await runCalibration(dir, { threads: threads(v) ?? 0, seconds, log: v.json ? undefined : (l) => process.stderr.write(`${l}\n`) })
      : loadCalibration(dir, await machineKey());
    const usable = await usableBackends();
    const decisions = JOB_KINDS.flatMap((job) => SIZE_BUCKETS.map((size) => decide(calibration, job, size, usable)));
    if (v.json) console.log(JSON.stringify({ backends: list, calibration, decisions }));
    else {
      for (const b of list) console.log(`${b.name.padEnd(7)} ${b.available ? `available${b.note ? `; auto does not use it: ${b.note}` : ''}` : `unavailable: ${b.reason!.replace(`${b.name} is unavailable: `, '')}`}`);
      for (const line of decisionLines(calibration, decisions)) console.log(line);
    }
    return 0;
  }
  if (!(BACKEND_PREFERENCE as string[]).includes(check)) throw new UserError(`unknown backend '${check}'; pass --check ${BACKEND_PREFERENCE.join(', ')}`);
  const backend = check as Backend;
  const reason = await probeBackend(backend);
  if (reason !== null) throw new UserError(`${reason}; see \`flowlab backends\``);
  const tol = num(v, 'tol', { positive: true }) ?? 1e-4;
  const rawSteps = str(v, 'train-steps');
  const trainSteps = rawSteps === undefined ? undefined : rawSteps.split(',').map(Number);
  if (trainSteps && !trainSteps.every((s, i) => Number.isInteger(s) && s > (i ? trainSteps[i - 1] : 0))) {
    throw new UserError(`--train-steps must be increasing whole numbers separated by commas, got '${rawSteps}'`);
  }
  const r = await checkBackend(backend, { threads: threads(v) ?? 0, tol, trainSteps, n: num(v, 'n', { integer: true, positive: true }), speed: !!v.speed, log: v.json ? undefined : (l) => process.stderr.write(`${l}\n`) });
  if (v.json) console.log(JSON.stringify(r));
  else {
    const worst = Math.max(...r.sampling.map((s) => s.maxAbs));
    console.log(`${backend} against the CPU: first training step ${exp(r.training[0].lossMaxRel)} (loss), ${exp(r.training[0].paramsMaxAbs)} (parameters); sampling ${exp(worst)}; divergence ${exp(r.divergence.divMaxAbs)}: ${r.pass ? 'agrees' : 'DIFFERS'} within ${tol}`);
    for (const s of r.speed ?? []) console.log('stepsPerSec' in s ? `${s.backend} training, batch ${s.batch}: ${s.stepsPerSec.toFixed(1)} steps/s` : `${s.backend} ${s.what}, ${s.n} points: ${s.samplesPerSec.toFixed(0)} samples/s`);
  }
  return r.pass ? 0 : 1;
}
