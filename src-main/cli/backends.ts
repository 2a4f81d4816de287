/** `flowlab backends`: which ONNX Runtime backends work here, and (--check) whether one agrees with the CPU. */
import { checkBackend } from '../engine/backendCheck.js';
import { availableBackends, BACKEND_PREFERENCE, probeBackend, type Backend } from '../engine/onnx/runtime.js';
import { UserError } from '../errors.js';
import { COMMON_HELP, num, parse, str, threads } from './args.js';

export const BACKENDS_HELP = `flowlab backends [options]

Lists the backends of this ONNX Runtime build and whether each runs here (and why not).
  --check NAME          run FlowLab's training and sampling programs on NAME (webgpu, cuda or cpu)
                        and on the CPU from the same inputs; print the largest differences and
                        the speeds; exit 1 if a difference passes --tol
  --tol X               largest difference accepted (default 1e-4)
  --train-steps LIST    step counts at which training is compared (default 1,50,500)
  --n N                 points sampled (default 4096)
  --speed               with --check, also time training and sampling on both
${COMMON_HELP}

'auto' (the default backend of train, sample and eval) trains on the CPU and solves ODEs on a
GPU backend when one works on a hardware device (not on a software Vulkan device such as Mesa's
lavapipe, which is slower than the CPU).`;

const exp = (x: number) => x.toExponential(1);

export async function backendsCommand(argv: string[]): Promise<number> {
  const v = parse('backends', argv, { check: { type: 'string' }, tol: { type: 'string' }, speed: { type: 'boolean' }, 'train-steps': { type: 'string' }, n: { type: 'string' } });
  if (v.help) {
    console.log(BACKENDS_HELP);
    return 0;
  }
  const check = str(v, 'check');
  if (!check) {
    const list = await availableBackends();
    if (v.json) console.log(JSON.stringify({ backends: list }));
    else for (const b of list) console.log(`${b.name.padEnd(7)} ${b.available ? `available${b.note ? `; auto does not use it: ${b.note}` : ''}` : `unavailable: ${b.reason!.replace(`${b.name} is unavailable: `, '')}`}`);
    return 0;
  }
  if (!(BACKEND_PREFERENCE as string[]).includes(check)) throw new UserError(`unknown backend '${check}'; pass --check webgpu, cuda or cpu`);
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
