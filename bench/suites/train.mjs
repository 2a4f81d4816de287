// Training throughput: steps/s and GFLOP/s of the default experiment at each batch size, FlowLab
// against PyTorch on CPU (eager; torch.compile in a full run), TensorFlow.js (WebAssembly and
// plain-JS backends), and the MatMul limit; also FlowLab through its service (with the store
// logging every step), as a user runs it. FlowLab, PyTorch (eager, and torch.compile in a full
// run), the MatMul limit and the service run in interleaved passes (lib/passes.mjs) so their
// ratios compare like with like.
import { runFlowlab, runNodePeer, runPython } from '../lib/child.mjs';
import { figure, missing, target, valueOr } from '../lib/figures.mjs';
import { macsPerSample, shapeKey, trainStepMatmuls } from '../lib/mlpShapes.mjs';
import { interleave, mergeBest } from '../lib/passes.mjs';
import { PEAK_SHAPE, stepCeiling } from './matmul.mjs';

/** The targets BENCHMARKS.md states (issue: benchmarks). */
export const TARGET_BATCH = 1024;
export const TARGET_VS_TORCH = 1.3;
export const TARGET_PEAK_FRACTION = 0.75;
export const TARGET_STEPS_PER_S = 150;

const TFJS_NODE_MISSING = 'not installable here: its install step downloads libtensorflow from outside the package registries';
const COMPILE_QUICK_MISSING = 'not run with --quick (torch.compile takes about a minute per batch size here)';

function byBatch(run, batch, pick, filter = () => true) {
  return valueOr(run, (v) => {
    const r = v.results.find((x) => x.batch === batch && filter(x));
    if (!r) return undefined;
    if (r.missing) return missing(r.missing);
    return pick(r);
  });
}

const version = (run, key) => (run.ok ? run.value[key] : null);

export async function run(ctx) {
  const q = ctx.quick;
  const batches = q ? [256, 1024] : ctx.batches;
  const threads = String(ctx.threads);
  const list = batches.join(',');
  const timing = ['--seconds', q ? '0.7' : '2', '--rounds', q ? '1' : '2'];
  const passes = q ? 1 : 4;
  const limitShapes = [PEAK_SHAPE, ...batches.flatMap((b) => trainStepMatmuls(b))];
  const uniqueShapes = [...new Set(limitShapes.map(shapeKey))].join(',');
  const torchMissing = ctx.machine.torchMissing;

  const compileProgram = async () => {
    if (q) return { ok: false, reason: COMPILE_QUICK_MISSING, seconds: 0 };
    if (torchMissing) return { ok: false, reason: torchMissing, seconds: 0 };
    const r = await runPython('torch_train.py', ['--batches', list, ...timing, '--threads', threads, '--modes', 'compile'], { timeoutS: 900, verbose: ctx.verbose });
    ctx.log(`  PyTorch torch.compile: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
    return r;
  };
  const [flowRuns, torchRuns, limitRuns, serviceRuns, compileRuns, handRuns] = await interleave(passes, [
    async () => {
      const r = await runFlowlab('train.ts', ['--batches', list, ...timing, '--threads', threads], { timeoutS: q ? 60 : 600, verbose: ctx.verbose });
      ctx.log(`  FlowLab: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
      return r;
    },
    async () => {
      if (torchMissing) return { ok: false, reason: torchMissing, seconds: 0 };
      const r = await runPython('torch_train.py', ['--batches', list, ...timing, '--threads', threads, '--modes', 'eager', '--warmup', q ? '3' : '20', '--min-steps', '3'], { timeoutS: q ? 60 : 600, verbose: ctx.verbose });
      ctx.log(`  PyTorch eager: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
      return r;
    },
    async () => {
      const r = await runNodePeer('ort_matmul.mjs', ['--threads', threads, '--seconds', q ? '0.1' : '0.3', '--rounds', '2', '--shapes', uniqueShapes], { timeoutS: 120, verbose: ctx.verbose });
      ctx.log(`  MatMul limit: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
      return r;
    },
    async () => {
      const r = await runFlowlab('trainService.ts', ['--batch', String(TARGET_BATCH), '--seconds', q ? '1.5' : '4', '--threads', threads], { timeoutS: 120, verbose: ctx.verbose });
      ctx.log(`  FlowLab through the service: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
      return r.ok ? { ...r, value: { results: [r.value] } } : r;
    },
    compileProgram,
    async () => {
      const r = await runFlowlab('train.ts', ['--batches', String(TARGET_BATCH), ...timing, '--threads', threads, '--program', 'handwritten'], { timeoutS: q ? 60 : 300, verbose: ctx.verbose });
      ctx.log(`  Hand-written backward: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
      return r;
    },
  ]);
  const handwritten = mergeBest(handRuns, (x) => x.batch, 'steps_per_s');
  const flowlab = mergeBest(flowRuns, (x) => x.batch, 'steps_per_s');
  const torch = mergeBest(torchRuns, (x) => x.batch, 'steps_per_s');
  const limit = mergeBest(limitRuns, (x) => shapeKey([x.m, x.k, x.n]), 'gflops');
  const service = mergeBest(serviceRuns, (x) => x.batch, 'steps_per_s');

  const profile = await runFlowlab('profileTrain.ts', ['--batch', String(TARGET_BATCH), '--steps', q ? '10' : '40', '--threads', threads], { timeoutS: 120, verbose: ctx.verbose });
  ctx.log(`  FlowLab profile: ${profile.ok ? 'done' : profile.reason} (${profile.seconds.toFixed(1)} s)`);

  const compiled = mergeBest(compileRuns, (x) => x.batch, 'steps_per_s');

  // tfjs is slow enough that a quick run measures one small batch on its faster backend only.
  const tfjsRuns = {};
  for (const backend of q ? ['wasm'] : ['wasm', 'cpu']) {
    const tfBatches = q ? '256' : list;
    tfjsRuns[backend] = await runNodePeer('tfjs_train.mjs', ['--backend', backend, '--batches', tfBatches, '--seconds', q ? '1' : '3', '--min-steps', '3', '--threads', threads], { timeoutS: q ? 60 : 900, verbose: ctx.verbose });
    ctx.log(`  TensorFlow.js ${backend}: ${tfjsRuns[backend].ok ? 'done' : tfjsRuns[backend].reason} (${tfjsRuns[backend].seconds.toFixed(1)} s)`);
  }

  const torchName = `PyTorch ${version(torch, 'torch') ?? ctx.machine.torch ?? ''}`.trim();
  const figures = [];
  const steps = (b) => byBatch(flowlab, b, (r) => r.steps_per_s);
  const gflops = (b) => byBatch(flowlab, b, (r) => r.gflops);
  for (const b of batches) {
    const name = `train steps/s, batch ${b}`;
    figures.push(figure(name, 'steps/s', steps(b), byBatch(torch, b, (r) => r.steps_per_s), `${torchName} eager (CPU)`));
    figures.push(figure(name, 'steps/s', steps(b), byBatch(compiled, b, (r) => r.steps_per_s), `${torchName} torch.compile (CPU)`));
    for (const backend of ['wasm', 'cpu']) {
      const r = tfjsRuns[backend];
      const peer = !r ? missing('not run with --quick') : r.ok && !r.value.results.some((x) => x.batch === b) ? missing('not run with --quick at this batch') : byBatch(r, b, (x) => x.steps_per_s);
      const tfThreads = r?.ok ? `, ${r.value.threads} thread${r.value.threads === 1 ? '' : 's'}` : '';
      figures.push(figure(name, 'steps/s', steps(b), peer, `TensorFlow.js ${ctx.machine.tfjs ?? ''} ${backend} backend${tfThreads}`.replace('  ', ' '),
        backend === 'wasm' ? "tfjs-wasm's transposed MatMuls (the backward pass) run far below its forward MatMul" : undefined));
    }
    figures.push(figure(name, 'steps/s', steps(b), missing(TFJS_NODE_MISSING), 'TensorFlow.js tfjs-node (native)'));
    if (b === TARGET_BATCH) {
      figures.push(figure(name, 'steps/s', steps(b), byBatch(handwritten, b, (r) => r.steps_per_s), 'the same program with a hand-written backward',
        'the prototype of the design: MLP + Adam in one ONNX Loop, backward written by hand (bench/flowlab/handwritten.ts); one process each, so expect +-15% between passes'));
      figures.push(figure(`train steps/s through the service (store, events, checkpoints), batch ${b}`, 'steps/s', byBatch(service, b, (r) => r.steps_per_s),
        byBatch(torch, b, (r) => r.steps_per_s), `${torchName} eager (CPU)`, 'what a user gets: every loss and gradient norm written to SQLite; the peer logs nothing'));
    }
  }
  const byShape = new Map(limit.ok ? limit.value.results.map((x) => [shapeKey([x.m, x.k, x.n]), x]) : []);
  const peak = byShape.get(shapeKey(PEAK_SHAPE))?.gflops ?? null;
  for (const b of batches) {
    figures.push(figure(`train GFLOP/s, batch ${b}`, 'GFLOP/s', gflops(b), byBatch(torch, b, (r) => r.gflops), `${torchName} eager (CPU)`));
    figures.push(figure(`train GFLOP/s vs the MatMul peak, batch ${b}`, 'GFLOP/s', gflops(b), peak ?? valueOr(limit, () => null),
      `ONNX Runtime MatMul ${shapeKey(PEAK_SHAPE)} (peak)`, 'ratio = fraction of the peak', { limit: true }));
    const ceiling = limit.ok ? stepCeiling(byShape, b) : null;
    figures.push(figure(`train GFLOP/s vs MatMul on the step's own shapes, batch ${b}`, 'GFLOP/s', gflops(b), ceiling ?? valueOr(limit, () => null),
      "ONNX Runtime MatMul on the step's products", 'ratio = fraction of what the products alone reach, run one by one', { limit: true }));
  }

  const ratioOf = (name, peerPart) => figures.find((f) => f.name === name && f.peerName.includes(peerPart))?.ratio ?? null;
  const at = steps(TARGET_BATCH);
  const targets = [
    target(`steps/s vs PyTorch eager at batch ${TARGET_BATCH}`, `>= ${TARGET_VS_TORCH}x`, ratioOf(`train steps/s, batch ${TARGET_BATCH}`, 'eager'), TARGET_VS_TORCH),
    target(`fraction of the MatMul peak at batch ${TARGET_BATCH}`, `>= ${TARGET_PEAK_FRACTION * 100}%`, ratioOf(`train GFLOP/s vs the MatMul peak, batch ${TARGET_BATCH}`, 'peak'), TARGET_PEAK_FRACTION),
    target(`steps/s at batch ${TARGET_BATCH}`, `>= ${TARGET_STEPS_PER_S}`, typeof at === 'number' ? at : null, TARGET_STEPS_PER_S),
  ];
  const detail = (r) => (r.ok ? r.value : { missing: r.reason });
  return {
    figures,
    targets,
    details: {
      flopsFormula: `6 * batch * sum over layers of (in * out) = 6 * batch * ${macsPerSample()}`,
      passes,
      flowlab: detail(flowlab),
      profile: detail(profile),
      torch: detail(torch),
      torchCompile: detail(compiled),
      service: detail(service),
      handwritten: detail(handwritten),
      matmulLimit: detail(limit),
      tfjs: Object.fromEntries(Object.entries(tfjsRuns).map(([k, r]) => [k, detail(r)])),
    },
  };
}
