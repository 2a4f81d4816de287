// Renders BENCHMARKS.md from bench/results/*.json: the targets, then each suite's figures with
// the peer's figure and the ratio, and the machine and date they were measured on. A suite with
// no full-length result falls back to its --quick result (bench/results/quick/), marked as such.
//
//   node bench/summarize.mjs      (run.mjs calls it after every run)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');

const SUITES = [
  ['train', 'Training throughput', 'The default experiment (MLP 3 x 256, SiLU, time features; trigonometric interpolant; Adam lr 1e-3; 2-D checkerboard), steps per second at each batch size.'],
  ['matmul', "The machine's limit: ONNX Runtime MatMul", 'float32 MatMul through onnxruntime-node with the same thread count; FlowLab = the same product built with its graph builder and run through its session factory.'],
  ['sample', 'Sampling throughput', 'x0 ~ N(0, I) pushed to t = 1 on the same weights (FlowLab exports, the peer loads the ONNX file).'],
  ['quality', 'Time to quality', 'How good each side\'s net is after a given training wall time: both save snapshots, and one evaluator (FlowLab\'s engine) judges all of them, so the scores are measured by the same code.'],
  ['eval', 'Evaluation', 'How long `flowlab eval` takes on the shipped checkerboard model (imported as a run), on this machine.'],
  ['store', 'Store', 'Metrics logging rate into SQLite.'],
  ['layering', 'Training program across the layering change', 'The training benchmark at batch 1024 run alternately from the tree before the op registry, the solver tableaux and the layering change (94bf036) and after it, alternating on the same machine within a few minutes: the two programs must train at the same rate.'],
  ['ui', 'Renderer', 'The run page in the real app (server mode, system Chromium, real engine): the time to draw 100k samples against the data and a 1,000-image gallery, and frame times (requestAnimationFrame intervals) while a 2-D training streams its loss and previews to the page and while an MNIST U-Net training (the wizard\'s preset) streams its gallery, redrawn every 3 s. No peer: the budget is 50 ms.'],
];

function load(name) {
  const full = join(RESULTS, `${name}.json`);
  if (existsSync(full)) return JSON.parse(readFileSync(full, 'utf8'));
  const quick = join(RESULTS, 'quick', `${name}.json`);
  if (existsSync(quick)) return JSON.parse(readFileSync(quick, 'utf8'));
  return null;
}

function num(v) {
  if (v === null || v === undefined) return null;
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(a >= 1 ? 2 : 3);
}

const esc = (s) => String(s).replace(/\|/g, '\\|');

function machineLine(r) {
  const m = r.machine;
  return `${m.model}, ${m.cpus} CPUs, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, onnxruntime-node ${m.onnxruntime}, ` +
    `PyTorch ${m.torch ?? `missing (${m.torchMissing})`}, TensorFlow.js ${m.tfjs ?? 'missing'}; ${m.threads} threads; ` +
    `load average at start ${m.loadAverage.join(' ')}`;
}

function figureTable(r) {
  const notes = [];
  const missingCell = (reason) => {
    const text = reason ?? 'not measured';
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return `missing [${i + 1}]`;
  };
  const show = (v, reason) => (v === null ? missingCell(reason) : num(v));
  const rows = ['| Figure | FlowLab | Peer | Peer figure | Ratio (> 1: FlowLab better) | Unit |', '|---|---|---|---|---|---|'];
  for (const f of r.figures) {
    const ratio = f.ratio === null ? '-' : `${f.ratio.toFixed(2)}x`;
    const name = f.note ? `${f.name} <br><sub>${f.note}</sub>` : f.name;
    rows.push(`| ${esc(name)} | ${show(f.flowlab, f.flowlabMissing)} | ${esc(f.peerName)} | ${show(f.peer, f.peerMissing)} | ${ratio} | ${f.unit} |`);
  }
  if (notes.length) rows.push('', ...notes.map((n, i) => `[${i + 1}] ${esc(n)}  `));
  return rows.join('\n');
}

function profileSection(train) {
  const p = train?.details?.profile;
  if (!p || p.missing || !p.ops?.length) return null;
  const rows = [`Where FlowLab's training time goes (ONNX Runtime profile of one fused call, batch ${p.batch}, ${p.steps} steps: ` +
    `${p.wall_ms_per_step.toFixed(1)} ms wall and ${p.node_ms_per_step.toFixed(1)} ms of node time per step):`, '',
    '| Op type | Share of node time | ms per step |', '|---|---|---|'];
  for (const o of p.ops) rows.push(`| ${o.op} | ${pct(o.share)} | ${o.ms_per_step.toFixed(2)} |`);
  return rows.join('\n');
}

/** The sweep behind the training defaults (bench/results/defaults.json). */
function defaultsSection(d) {
  if (!d) return [];
  const out = ['## Training defaults', '', `Measured ${d.date.slice(0, 10)} on ${d.machine.description}. ${d.about}`, ''];
  const by = new Map();
  for (const r of d.runs) (by.get(r.variant) ?? by.set(r.variant, []).get(r.variant)).push(r);
  const rows = [...by.entries()].map(([variant, rs]) => {
    const all = rs.flatMap((r) => r.inSquares);
    return { variant, seeds: rs.map((r) => r.seed).sort((a, b) => a - b), mean: all.reduce((a, b) => a + b, 0) / all.length, worst: Math.min(...all) };
  });
  out.push('| Variant | Seeds | In the squares, mean | Worst sample |', '|---|---|---|---|');
  for (const r of rows.sort((a, b) => b.mean - a.mean)) {
    const name = r.variant === d.chosen ? `**${r.variant}** (the defaults now)` : r.variant;
    out.push(`| ${name} | ${r.seeds.join(', ')} | ${(r.mean * 100).toFixed(2)}% | ${(r.worst * 100).toFixed(2)}% |`);
  }
  out.push('', `Keys: ${Object.entries(d.legend).map(([k, v]) => `${k}: ${v}`).join('; ')}.`, '');
  return out;
}

/** The sweep behind the image defaults and the acceptance run (bench/results/image-defaults.json). */
function imageDefaultsSection(d) {
  if (!d) return [];
  const same = (r) => ['interpolant', 'timeSampling', 'baseChannels', 'steps', 'lr', 'sampler'].every((k) => r[k] === d.chosen[k]) && r.channelMults.join() === d.chosen.channelMults.join();
  const out = ['## Image training defaults (MNIST)', '', `Measured ${d.date.slice(0, 10)} on ${d.machine.description}. ${d.about}`, ''];
  out.push('| Interpolant, t | Base channels | Levels | Steps | lr | Sampler | Confident | Class shares | Frechet (floor) |', '|---|---|---|---|---|---|---|---|---|');
  for (const r of d.runs) {
    const row = `${r.interpolant}, ${r.timeSampling} | ${r.baseChannels} | ${r.channelMults.join(', ')} | ${r.steps.toLocaleString('en-US')} | ${r.lr} | ${r.sampler} | ${pct(r.confidentFraction)} | ${pct(Math.min(...r.classFractions))} to ${pct(Math.max(...r.classFractions))} | ${r.classifierFrechet.toFixed(1)} (${r.classifierFrechetFloor.toFixed(1)})`;
    out.push(`| ${same(r) ? `**${row.replace(/ \| /g, '** | **')}** (the defaults now)` : r.note ? `${row} (${r.note})` : row} |`);
  }
  const a = d.acceptance;
  if (a) {
    out.push('', `The defaults end to end (${a.command}; ${a.host}, ${a.date}): training ${Math.floor(a.trainSeconds / 60)} min ${Math.round(a.trainSeconds % 60)} s (${a.stepsPerSec.toFixed(1)} steps/s, seed ${a.seed}), sampling ${a.sampleSeconds} s; ${pct(a.confidentFraction)} of the samples confident, classes ${pct(Math.min(...a.classFractions))} to ${pct(Math.max(...a.classFractions))}, classifier Frechet distance ${a.classifierFrechet.toFixed(1)} (floor ${a.classifierFrechetFloor.toFixed(1)}).`);
  }
  const p = d.pretrained;
  if (p) {
    const probe = p.samplers;
    const rows = probe.rows.map((r) => `${r.sampler}: ${pct(r.confidentFraction)}, ${r.classifierFrechet.toFixed(1)}`).join('; ');
    const f = p.final;
    out.push('', `The pretrained model (${p.model}, ${p.date}): ${p.training}. At step ${probe.step.toLocaleString('en-US')}, ${probe.n} samples of each sampler from one noise seed (Frechet distance at ${probe.n} samples, floor ${probe.floor.toFixed(1)}): ${rows}. ${p.why} At ${p.steps.toLocaleString('en-US')} steps, by ${f.command}: ${pct(f.confidentFraction)} ± ${(100 * f.confidentFractionStdErr).toFixed(1)} points of ${f.n.toLocaleString('en-US')} samples confident, classes ${pct(f.classFractionMin)} to ${pct(f.classFractionMax)}, classifier Frechet distance ${f.classifierFrechet.toFixed(1)} (floor ${f.classifierFrechetFloor.toFixed(1)} at ${f.n.toLocaleString('en-US')} samples), held-out ${f.bitsPerDim.toFixed(2)} bits/dim; the model it replaced: ${p.replaced}.`);
  }
  out.push('');
  return out;
}

/**
 * The pretrained MNIST model's candidates, trained at once on one GPU by the PyTorch peer
 * (bench/peers/gpu_pretrain.sh, bench/results/gpu-pretrain.json): the table of candidates with the
 * peer's own scoring, then FlowLab's measurement of the one shipped.
 */
export function gpuPretrainSection(r) {
  if (!r) return [];
  const out = ['## Pretrained MNIST model: candidates trained on a GPU', '', `Trained ${r.date} on ${r.machine} by \`${r.command}\`. ${r.about}`, ''];
  out.push('| Candidate | Net | Parameters | Batch, lr | Steps (steps/s) | Loss, last 500 steps | Confident, eps 1.5 | Confident, eps 3 | Class shares |', '|---|---|---|---|---|---|---|---|---|');
  for (const c of r.candidates) {
    const net = `${c.baseChannels} base channels, levels ${c.channelMults.join(', ')}${c.blocksPerLevel > 1 ? `, ${c.blocksPerLevel} blocks a level` : ''}${c.attention ? ', attention' : ''}`;
    const row = `${c.name} | ${net} | ${c.params.toLocaleString('en-US')} | ${c.batch}, ${c.lr} | ${c.steps.toLocaleString('en-US')} (${c.stepsPerSec.toFixed(1)}) | ${c.finalLoss.toFixed(4)} | ${pct(c.confident['1.5'])} | ${pct(c.confident['3'])} | ${pct(c.classRange[0])} to ${pct(c.classRange[1])}`;
    out.push(`| ${c.name === r.shipped.name ? `**${row.replace(/ \| /g, '** | **')}** (shipped)` : row} |`);
  }
  const f = r.shipped.final;
  out.push('', `${r.check} ${r.shipped.note} Measured by FlowLab (\`${f.command}\`): ${pct(f.confidentFraction)} ± ${(100 * f.confidentFractionStdErr).toFixed(1)} points of ${f.n.toLocaleString('en-US')} samples confident, classes ${pct(f.classFractionMin)} to ${pct(f.classFractionMax)}, classifier Frechet distance ${f.classifierFrechet.toFixed(1)} (floor ${f.classifierFrechetFloor.toFixed(1)}), held-out ${f.bitsPerDim.toFixed(2)} bits/dim.`, '');
  return out;
}

/** The GPU section from `scripts/backendCheck.ts --out bench/results/gpu.json`, run on a GPU machine. */
function gpuSection(g) {
  const out = ['## GPU', ''];
  if (!g) {
    out.push('No GPU machine has run `scripts/backendCheck.ts` yet; when one does (`--out bench/results/gpu.json`), its table goes here.', '');
    return out;
  }
  const e = (x) => x.toExponential(1);
  out.push(`Measured ${g.date.slice(0, 16).replace('T', ' ')} UTC on ${g.machine.description}; Node ${g.machine.node}, onnxruntime-node ${g.machine.onnxruntime}. \`node --import tsx scripts/backendCheck.ts --backend ${g.backend}\` runs each program on ${g.backend} and on the CPU from the same inputs.`, '');
  out.push(`Agreement with the CPU (tolerance ${g.tol}): ${g.pass ? 'every figure within it' : '**some figure outside it**'}.`, '');
  out.push('| Program | Largest difference from the CPU |', '|---|---|');
  for (const t of g.training) out.push(`| training, after ${t.afterSteps} step${t.afterSteps > 1 ? 's' : ''} | loss ${e(t.lossMaxRel)} (relative), parameters ${e(t.paramsMaxAbs)}, EMA ${e(t.emaMaxAbs)} |`);
  for (const s of g.sampling) out.push(`| ${s.solver} ${s.reverse ? 'encode (t = 1 -> 0)' : 'generate (t = 0 -> 1)'}, NFE ${s.nfe[0]} | ${e(s.maxAbs)} |`);
  out.push(`| exact divergence program | v ${e(g.divergence.vMaxAbs)}, div ${e(g.divergence.divMaxAbs)} |`, '');
  if (g.speed?.length) {
    out.push(`Speed on the same machine (CPU: all ${g.machine.cpus} cores):`, '');
    out.push(`| Work | CPU | ${g.backend} | ${g.backend} / CPU |`, '|---|---|---|---|');
    const pick = (b, what, key) => g.speed.find((x) => x.backend === b && x.what === what && (key === undefined || x.batch === key));
    for (const batch of [...new Set(g.speed.filter((x) => x.what === 'train').map((x) => x.batch))]) {
      const c = pick('cpu', 'train', batch), o = pick(g.backend, 'train', batch);
      if (c && o) out.push(`| train steps/s, batch ${batch} | ${num(c.stepsPerSec)} | ${num(o.stepsPerSec)} | ${(o.stepsPerSec / c.stepsPerSec).toFixed(2)}x |`);
    }
    for (const what of [...new Set(g.speed.filter((x) => x.what !== 'train').map((x) => x.what))]) {
      const c = pick('cpu', what), o = pick(g.backend, what);
      if (c && o) out.push(`| ${what}, ${c.n} points, samples/s | ${num(c.samplesPerSec)} | ${num(o.samplesPerSec)} | ${(o.samplesPerSec / c.samplesPerSec).toFixed(2)}x |`);
    }
    out.push('', `So \`--backend auto\` trains on the CPU and solves ODEs (sampling, likelihoods) on a GPU when one works. On the GPU the training rate hardly moves from batch 1024 to 4096: a step is a few hundred small kernels (and ONNX Runtime keeps some nodes, such as the shape and random-bit ones, on the CPU), so per-kernel cost, not arithmetic, sets its pace. CUDA could not be run (ONNX Runtime's CUDA provider is fetched at install time from a host that machine cannot reach), and no PyTorch-on-CUDA peer was run.`, '');
  }
  return out;
}

/** The speed table of scripts/gpu-check.sh (bench/results/gpu-speed.json): one row per work, one column per engine. */
function gpuSpeedSection(r) {
  if (!r?.rows?.length) return [];
  const engines = [...new Set(r.rows.map((x) => x.engine))];
  const works = [...new Set(r.rows.map((x) => `${x.net}|${x.work}|${x.batch ?? x.n}`))];
  const out = [`Speed table of \`scripts/gpu-check.sh\`${r.quick ? ' (**--quick run**)' : ''}, measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${r.machine}; PyTorch ${r.torch?.version ?? `missing (${r.torch?.missing})`} on ${r.torch?.device ?? '-'}. CPU columns use every core.`, ''];
  out.push(`| Work | ${engines.join(' | ')} |`, `|---|${engines.map(() => '---').join('|')}|`);
  for (const w of works) {
    const [net, work, size] = w.split('|');
    const cells = engines.map((e) => {
      const x = r.rows.find((y) => y.engine === e && `${y.net}|${y.work}|${y.batch ?? y.n}` === w);
      return !x ? "-" : x.value == null ? `missing (${esc(x.missing)})` : num(x.value);
    });
    const unit = r.rows.find((y) => `${y.net}|${y.work}|${y.batch ?? y.n}` === w)?.unit ?? '';
    out.push(`| ${net} ${work}, ${work === 'train' ? 'batch' : 'n'} ${size}, ${unit} | ${cells.join(' | ')} |`);
  }
  if (r.gpuBuffers) out.push('', 'gpu-buffer tensors in onnxruntime-node (bench/flowlab/gpuBuffers.ts): ' + Object.entries(r.gpuBuffers).map(([k, v]) => `${k}: ${esc(String(v).slice(0, 160))}`).join('; ') + '.');
  out.push('');
  return out;
}

const UNET_TRAIN_CMD = 'node --import tsx bench/flowlab/unetTrainVsTorch.ts';
const UNET_TTQ_CMD = 'node --import tsx bench/flowlab/unetTtq.ts';
const loadText = (l) => (l ? l.join(' ') : '-');
/** 0.823 -> "82.3%". */
const pct = (v) => `${(v * 100).toFixed(1)}%`;
/** 1 -> "1 thread", 2 -> "2 threads". */
const threadsText = (n) => `${n} thread${n > 1 ? 's' : ''}`;
const netText = (n) => `base ${n.baseChannels}, [${n.channelMults.join(', ')}], ${n.blocksPerLevel} block${n.blocksPerLevel > 1 ? 's' : ''} a level${n.attention ? ', attention' : ''}`;

/** The targets of the U-Net step against PyTorch eager (bench/results/unet-train.json): >= 1.0x, goal 1.3x. */
export function unetTargets(r) {
  return (r?.nets ?? []).map((n) => ({
    name: `U-Net train steps/s vs PyTorch eager, ${n.name} net (${netText(n.net)}), batch ${n.batch}, ${threadsText(r.threads)}`,
    goal: '>= 1.0x (goal 1.3x)',
    value: n.ratio ?? null,
    met: n.ratio === null || n.ratio === undefined ? null : n.ratio >= 1,
  }));
}

/** U-Net training and sampling throughput against PyTorch eager (bench/flowlab/unetTrainVsTorch.ts). */
export function unetTrainSection(r, title = 'U-Net training and sampling against PyTorch') {
  const out = [`## ${title}`, ''];
  out.push("The service's full image training step (ImageTrainSession: host batch and dequantisation, t and x0 drawn in the program, loss, gradient, clipping, Adam and the EMA) against the same step in PyTorch eager (`bench/peers/unet_train_torch.py`: same net in FlowLab's parameter layout, same batch, digits, interpolant, loss, Adam, clipping and EMA), and generation from the EMA net with euler and rk4, alternating in one run on the same threads.", '');
  if (!r) {
    out.push(`Not run yet (\`${UNET_TRAIN_CMD}\`).`, '');
    return out;
  }
  out.push(`Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${machineLine(r)}, ${loadText(r.load_after)} at the end; ${r.passes} alternating passes of ${r.steps_per_pass} step${r.steps_per_pass > 1 ? 's' : ''} per side (${r.seconds} s in all). Figures are medians over passes; the ratio is FlowLab's steps/s over PyTorch's (> 1: FlowLab faster), beside the median of the per-pass ratios.`, '');
  out.push('| Net | Parameters | Batch | FlowLab ms/step | PyTorch ms/step | Steps/s FlowLab / PyTorch | Pass ratios, median |', '|---|---|---|---|---|---|---|');
  for (const n of r.nets) out.push(`| ${n.name}: ${netText(n.net)} | ${n.params.toLocaleString('en-US')} | ${n.batch} | ${num(n.flowlab_ms)} | ${num(n.torch_ms)} | ${n.ratio.toFixed(2)}x | ${n.pass_ratio_median.toFixed(2)}x |`);
  out.push('');
  const checks = r.nets.filter((n) => n.check).map((n) => `${n.name}: losses ${n.check.losses.map((l) => l.toPrecision(7)).join(', ')} against FlowLab's ${n.check.flowlab_losses.map((l) => l.toPrecision(7)).join(', ')}, ${(n.check.params_agree * 100).toFixed(2)}% of the parameter changes agree, euler samples within ${n.check.sample_max_err.toExponential(1)}`);
  if (checks.length) out.push(`Before timing, PyTorch reproduced FlowLab's first two training steps from the same parameters and inputs (${checks.join('; ')}).`, '');
  if (r.sampling?.length) {
    out.push(`Sampling: ${r.sample.batch} images from N(0, I) to t = 1 in ${r.sample.steps} steps, images per second (FlowLab solves ${r.sample.flowlabRowsPerCall} rows per call, as \`flowlab sample\` does; PyTorch takes the batch whole):`, '');
    out.push('| Net | Solver | Steps | NFE | FlowLab images/s | PyTorch images/s | Ratio |', '|---|---|---|---|---|---|---|');
    for (const x of r.sampling) out.push(`| ${x.net} | ${x.method} | ${x.steps} | ${x.steps * (x.method === 'rk4' ? 4 : 1)} | ${num(x.flowlab_images_per_s)} | ${num(x.torch_images_per_s)} | ${x.ratio.toFixed(2)}x |`);
    out.push('');
  }
  for (const n of r.nets.filter((x) => x.profile)) {
    const p = n.profile;
    out.push(`Where FlowLab's time goes in the ${n.name} net's step (below 1.0x; ONNX Runtime's profiler on the loss-and-gradient step of \`bench/flowlab/unetProfile.ts\`, batch ${p.batch}, ${threadsText(p.threads)}: ${num(p.wall_ms)} ms wall, ${num(p.node_ms)} ms of node time):`, '');
    out.push('| Op type | Share of node time | ms | Nodes |', '|---|---|---|---|');
    for (const o of p.ops.slice(0, 10)) out.push(`| ${o.op} | ${pct(o.share)} | ${num(o.ms)} | ${o.nodes} |`);
    out.push('');
  }
  return out;
}

/** The U-Net figures where PyTorch did better: training and sampling speed, and the time-to-quality race. */
export function imageShortfalls(train, ttq) {
  const out = [];
  const threads = train ? threadsText(train.threads) : '';
  for (const n of train?.nets ?? []) {
    if (n.ratio < 1) out.push({ line: `U-Net training (${threads}): ${n.name} net: FlowLab ${num(n.flowlab_ms)} vs PyTorch eager ${num(n.torch_ms)} ms/step`, ratio: n.ratio });
  }
  for (const x of train?.sampling ?? []) {
    if (x.ratio < 1) out.push({ line: `U-Net sampling (${threads}): ${x.net} net, ${x.method} ${x.steps} steps: FlowLab ${num(x.flowlab_images_per_s)} vs PyTorch eager ${num(x.torch_images_per_s)} images/s`, ratio: x.ratio });
  }
  if (ttq && !ttq.flowlab.missing && !ttq.torch.missing) {
    const each = `${threadsText(ttq.threads)} each`;
    if (ttq.flowlab.steps < ttq.torch.steps) out.push({ line: `Time to quality (images): training steps in ${+(Math.max(...ttq.horizons) / 60).toFixed(2)} min at ${each}: FlowLab ${ttq.flowlab.steps} vs PyTorch eager ${ttq.torch.steps}`, ratio: ttq.flowlab.steps / ttq.torch.steps });
    for (const h of ttq.horizons) {
      const a = ttq.flowlab.snapshots.find((x) => x.seconds === h)?.score;
      const b = ttq.torch.snapshots.find((x) => x.seconds === h)?.score;
      if (a && b && b.classifierFrechet < a.classifierFrechet) {
        out.push({ line: `Time to quality (images): classifier Frechet distance after ${+(h / 60).toFixed(2)} min (lower is better): FlowLab ${num(a.classifierFrechet)} vs PyTorch eager ${num(b.classifierFrechet)}`, ratio: b.classifierFrechet / a.classifierFrechet });
      }
    }
  }
  return out;
}

/** Time to quality on MNIST against PyTorch (bench/flowlab/unetTtq.ts). */
export function unetTtqSection(r) {
  const out = ['## Time to quality (images)', ''];
  out.push("FlowLab's MNIST U-Net training against the same training in PyTorch eager (`bench/peers/unet_train_torch.py`), on FlowLab's own training split exported to NPY, from the same initial parameters, for the same wall-clock budget of training; at each horizon each side writes EMA samples (rk4), and the shipped digit classifier (`scripts/scoreDigits.ts`) scores every snapshot: the share of confidently labelled digits and the classifier Frechet distance (lower is better; the real-vs-real floor beside it).", '');
  if (!r) {
    out.push(`Not run yet (\`${UNET_TTQ_CMD}\`).`, '');
    return out;
  }
  const t = r.config.train;
  const schedule = t.schedule === 'constant' ? `constant rate after ${r.recipe.warmup} warmup steps on both sides` : `cosine over the same ${t.steps} steps on both sides (warmup ${r.recipe.warmup})`;
  out.push(`Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${machineLine(r)}, ${loadText(r.load_after)} at the end. ${r.concurrent ? `The two sides trained at the same time, ${threadsText(r.threads)} each` : `Threads: ${r.threads}`}; only training counts toward the budget (sampling the snapshots does not). Net: ${netText(r.config.net)}; ${r.config.interpolant} interpolant, ${t.timeSampling} t; batch ${t.batch}, Adam lr ${t.lr} (betas ${t.beta1}, ${t.beta2}, eps ${t.eps}), ${schedule}, clip ${t.clipNorm}, EMA ${t.emaDecay}; ${r.trainImages} training digits; ${r.samples} samples per snapshot, rk4 ${r.sampleSteps} steps.`, '');
  const sides = [['FlowLab', r.flowlab], ['PyTorch', r.torch]];
  const missingSides = sides.filter(([, s]) => s.missing);
  for (const [name, s] of missingSides) out.push(`${name}: missing (${esc(s.missing)}).`, '');
  const shot = (s, h) => (s.missing ? null : s.snapshots.find((x) => x.seconds === h) ?? null);
  const cell = (x, f) => (!x ? '-' : !x.score ? `missing (${esc(x.scoreMissing ?? 'not scored')})` : f(x.score));
  out.push('| Training time | FlowLab steps | FlowLab confident | FlowLab Frechet | PyTorch steps | PyTorch confident | PyTorch Frechet | Frechet, PyTorch / FlowLab (> 1: FlowLab better) |', '|---|---|---|---|---|---|---|---|');
  let floor = null;
  for (const h of r.horizons) {
    const a = shot(r.flowlab, h);
    const b = shot(r.torch, h);
    floor ??= a?.score?.classifierFrechetFloor ?? b?.score?.classifierFrechetFloor ?? null;
    const ratio = a?.score && b?.score ? `${(b.score.classifierFrechet / a.score.classifierFrechet).toFixed(2)}x` : '-';
    const minutes = h >= 60 ? `${+(h / 60).toFixed(2)} min` : `${h} s`;
    out.push(`| ${minutes} | ${a ? a.steps : '-'} | ${cell(a, (s) => pct(s.confidentFraction))} | ${cell(a, (s) => num(s.classifierFrechet))} | ${b ? b.steps : '-'} | ${cell(b, (s) => pct(s.confidentFraction))} | ${cell(b, (s) => num(s.classifierFrechet))} | ${ratio} |`);
  }
  out.push('');
  if (floor !== null) out.push(`Classifier Frechet distance between two sets of real held-out digits of the same size (the floor): ${num(floor)}.`, '');
  if (r.rescored) out.push(`Every snapshot was scored again on ${r.rescored.date} by ${r.rescored.classifier}; ${r.rescored.why}.`, '');
  const c = r.torch?.check;
  if (c) out.push(`Before the race, PyTorch reproduced FlowLab's first two training steps from the same parameters and inputs: losses ${c.losses.map((l) => l.toPrecision(7)).join(', ')} against ${c.flowlab_losses.map((l) => l.toPrecision(7)).join(', ')}; ${(c.params_agree * 100).toFixed(2)}% of the parameter changes and ${(c.ema_agree * 100).toFixed(2)}% of the EMA's agree; euler samples within ${c.sample_max_err.toExponential(1)}.`, '');
  return out;
}

/** Shorter paths (bench/flowlab/paths.ts): the OT-coupled runs and the learned interpolant against the default trig runs. */
function pathsSection(p, file = 'paths.json') {
  const longer = file !== 'paths.json' && p ? `, trained ${p.steps} steps` : '';
  const out = [`## Shorter paths: minibatch OT coupling and the learned interpolant against the default${longer}`, ''];
  if (!p) {
    out.push('Not run yet (`node --import tsx bench/flowlab/paths.ts`).', '');
    return out;
  }
  if (!p.maxNfe) {
    out.push('The results file predates the dense NFE grid: rerun `node --import tsx bench/flowlab/paths.ts`.', '');
    return out;
  }
  const tol = p.tolerance;
  const when = Object.entries(p.datasets).map(([d, r]) => `${d} ${(r.date ?? p.date).slice(0, 16).replace('T', ' ')} UTC, load average ${(r.loadAverage ?? p.loadAverage).toFixed(1)} at its start`).join('; ');
  out.push(`Measured by \`node --import tsx bench/flowlab/paths.ts ${p.steps} --threads ${p.threads}\` on the 2-core host with other work running (${when}): default net (3 x 256), ${p.steps} steps at batch ${p.batch}, seed ${p.seed}, for each run; ${p.n} held-out points per figure. Kinetic energy and straightness along the flow's own rk4 trajectories (straightness 1: straight lines at constant speed).`, '');
  const sampler = p.figureOf === 'k-step sampler';
  const rule = sampler
    ? `The NFE figure is the acceptance's: the fewest function evaluations from which a run's k-step sampler reaches the default run's rk4-50 KL gap within ${tol} nats, at that NFE and at every larger one of the same method. Each point of a curve is that sampler's own KL gap: the held-out points scored under the exact density of the samples the k-step solver gives (src-main/engine/sample/stepDensity.ts: each step inverted by Newton's method, its Jacobian by the chain rule through the stages, and where a coarse step folds the plane its several preimages found on a grid and summed), an upper bound on the sampler's KL gap up to sampling noise; not a k-step likelihood solve, whose integral of div v is a biased estimate of the continuous flow's density and can read below the entropy. A sampler that leaves a hole (a held-out point with no preimage: its density there is 0, the KL gap infinite) never counts. The grid is dense: every NFE from 1 to ${p.maxNfe}, with ${p.methods.join(', ')} wherever the method's stages divide it (rk4 at multiples of 4). The bar and each run's rk4-50 figure are the rk4-50 sampler's.`
    : `The NFE figure is the acceptance's: the fewest function evaluations from which a run's k-step likelihood solves reach the default run's rk4-50 KL gap within ${tol} nats. The grid is dense: every NFE from 1 to ${p.maxNfe}, with ${p.methods.join(', ')} wherever the method's stages divide it (rk4 at multiples of 4). A k-step figure counts when it is at most the default's rk4-50 figure + ${tol} and within ${tol} of the run's own rk4-50 figure (a coarse likelihood solve is biased either way, and euler's can read below the entropy), at that NFE and at every larger one of the same method (src-main/engine/sample/nfeCurve.ts).`;
  out.push(`${rule} 8gaussians: the KL gap (held-out NLL minus the mixture's entropy). Moons has no closed-form density, but its entropy is one constant for all runs, so its held-out NLL is the KL gap plus that constant and the same test on the NLL is the acceptance's test on the KL gap; the rk4-50 column shows the NLL. Sample-based figures beside it, for both targets: the energy distance of rk4-50 samples to held-out data (a run passes when within the two-data-sample floor of the default's), and the fewest NFE from which k-step samples stay within ${p.sampleTolerance} (mean distance, data units) of the run's own rk4-50 samples from the same base points. Full curves in bench/results/${file}.`, '');
  out.push(`| Target | Interpolant | Coupling | Kinetic energy | Straightness | rk4-50 KL gap (moons: NLL) | Bar | NFE to reach it | by method (${p.methods.join(' / ')}) | rk4-50 energy distance (bar) | NFE, samples within tolerance |`, '|---|---|---|---|---|---|---|---|---|---|---|');
  const nfe = (x) => (x === null || x === undefined ? '-' : String(x));
  for (const [dataset, r] of Object.entries(p.datasets)) {
    for (const run of r.runs) {
      const by = p.methods.map((m) => nfe(run.nfeByMethod?.[m])).join(' / ');
      out.push(`| ${dataset} | ${run.interpolant} | ${run.coupling} | ${num(run.kineticEnergy)} | ${run.straightness.toFixed(3)} | ${run.reference.toFixed(4)} | ${r.bar.toFixed(4)} | ${run.nfeToTarget ?? 'not reached'} | ${by} | ${run.energyDistance.toFixed(4)} (${r.sampleBar.toFixed(4)}) | ${run.nfeSamples ?? 'not within the bar'} |`);
    }
  }
  out.push('');
  if (sampler) {
    const cols = [2, 4, 8, 16, 32].filter((c) => c <= p.maxNfe);
    for (const [dataset, r] of Object.entries(p.datasets)) {
      out.push(`The curves, ${dataset}: each k-step sampler's ${dataset === '8gaussians' ? 'KL gap' : 'held-out NLL'} (nats) by NFE (hole: infinite; -: the method's stages do not divide the NFE); bar ${r.bar.toFixed(4)}.`, '');
      out.push(`| Interpolant | Coupling | Method | ${cols.map((c) => `NFE ${c}`).join(' | ')} |`, `|---|---|---|${cols.map(() => '---|').join('')}`);
      for (const run of r.runs) {
        for (const m of p.methods) {
          const at = (c) => {
            const pt = run.curve.find((q) => q.method === m && q.nfe === c);
            return !pt ? '-' : pt.value === null ? 'hole' : pt.value.toFixed(3);
          };
          out.push(`| ${run.interpolant} | ${run.coupling} | ${m} | ${cols.map(at).join(' | ')} |`);
        }
      }
      out.push('');
    }
  }
  const verdicts = [];
  for (const [dataset, r] of Object.entries(p.datasets)) {
    const def = r.runs[0];
    for (const [label, pick] of [['linear interpolant with OT pairs', (x) => x.interpolant === 'linear' && x.coupling === 'ot'], ['learned interpolant', (x) => x.interpolant === 'learned']]) {
      const run = r.runs.find(pick);
      if (!def || !run) continue;
      const lower = run.kineticEnergy < def.kineticEnergy;
      const half = run.nfeToTarget !== null && def.nfeToTarget !== null && run.nfeToTarget <= def.nfeToTarget / 2;
      verdicts.push({ dataset, label, met: lower && half });
      const sampleHalf = run.nfeSamples != null && def.nfeSamples != null && run.nfeSamples <= def.nfeSamples / 2;
      const samples = run.nfeSamples === undefined ? '' : `; on the sample-based figure ${nfe(run.nfeSamples)} vs ${nfe(def.nfeSamples)} NFE (${sampleHalf ? 'at most half' : 'not at most half'})`;
      // where it misses: the best figure at half the default's NFE or fewer, against the bar
      const allowed = def.nfeToTarget !== null ? Math.floor(def.nfeToTarget / 2) : 0;
      const near = run.curve.filter((c) => c.nfe <= allowed && c.value !== null).sort((a, b) => a.value - b.value)[0];
      const miss = !half && sampler && near ? `; its best at ${allowed} NFE or fewer: ${near.method} with ${near.steps} step${near.steps === 1 ? "" : "s"}, ${near.value.toFixed(4)} against the bar ${r.bar.toFixed(4)}` : '';
      out.push(`- ${dataset}, ${label} against the default (trig, independent): kinetic energy ${num(run.kineticEnergy)} vs ${num(def.kineticEnergy)} (${lower ? 'lower' : '**not lower**'}), straightness ${run.straightness.toFixed(3)} vs ${def.straightness.toFixed(3)}, rk4-50 ${run.reference.toFixed(4)} vs ${def.reference.toFixed(4)} (${run.reference <= r.bar ? 'within the bar' : '**above the bar**'}), NFE to reach the default's rk4-50 KL gap ${nfe(run.nfeToTarget)} vs ${nfe(def.nfeToTarget)} (${half ? 'at most half' : '**not at most half**'}${miss}): ${lower && half ? 'met' : '**not met**'}${samples}.`);
    }
  }
  for (const [dataset, r] of Object.entries(p.datasets)) {
    const def = r.runs[0];
    const by = Object.entries(def.nfeByMethod ?? {}).filter(([, v]) => v === def.nfeToTarget).map(([m]) => m);
    if (def.nfeToTarget !== null && by.length) out.push(`- ${dataset}: the default itself ${sampler ? 'reaches the bar (its rk4-50 figure + the tolerance)' : 'comes within the tolerance of its rk4-50 figure'} at ${def.nfeToTarget} NFE (${by.join(', ')} with ${by.map((m) => def.nfeToTarget / { euler: 1, midpoint: 2, heun: 2, rk4: 4 }[m]).join(', ')} steps), so a run needs ${Math.floor(def.nfeToTarget / 2)} or fewer.`);
  }
  if (!sampler) out.push("- The NFE figure is conservative for a run far better than the default (the learned runs): a k-step solve counts only once it is within the tolerance of the run's own rk4-50 figure, because a coarse likelihood solve reads biased (mostly low: see the curves) and says nothing sure about the k-step sampler's own quality.");
  if (sampler) {
    for (const [dataset, r] of Object.entries(p.datasets)) {
      const holes = r.runs.map((run) => [run, run.curve.filter((c) => c.value === null).map((c) => `${c.method}-${c.steps}`)]).filter(([, h]) => h.length);
      if (holes.length) out.push(`- ${dataset}: samplers that leave a hole (infinite KL gap; coarse steps that fold the plane): ${holes.map(([run, h]) => `${run.interpolant} ${run.coupling}: ${h.join(', ')}`).join('; ')}.`);
    }
  }
  out.push("- OT pairs with the trig interpolant do not straighten the paths: trig's arcs bulge out by sqrt(2) at t = 1/2 even for a pair x1 = x0, so its kinetic energy rises instead; pair OT with the linear interpolant (OT-CFM).");
  const missed = verdicts.filter((v) => !v.met);
  out.push(`- Acceptance ("the OT-coupled and learned-interpolant runs show lower kinetic energy than the default trig run and reach the default run's rk4-50 KL gap (within 0.02 nats) with at most half the function evaluations"): ${missed.length === 0 ? `met for all ${verdicts.length} runs` : `**not met** for ${missed.map((v) => `${v.dataset} ${v.label}`).join('; ')}; met for ${verdicts.length - missed.length} of ${verdicts.length}`}.`, '');
  return out;
}

/** SDE against ODE on the trained checkerboard (bench/flowlab/sdeCheckerboard.ts). */
function sdeSection(s) {
  const out = ['## SDE against ODE on the trained checkerboard', ''];
  if (!s) {
    out.push('Not run yet (`node --import tsx bench/flowlab/sdeCheckerboard.ts`).', '');
    return out;
  }
  const e = (x) => (x * 1000).toFixed(2);
  out.push(`Measured ${s.date.slice(0, 16).replace('T', ' ')} UTC by \`node --import tsx bench/flowlab/sdeCheckerboard.ts --threads ${s.threads}\` (load average ${s.loadAverage.toFixed(1)} on the 2-core host at start, other work running): the ${s.model}, ${s.n} samples against ${s.n} held-out points, mean of ${s.repeats} seeds (base draws and noise) with its standard error; energy distance in units of 10^-3. The floor: ${s.n} training points against the same held-out points, ${e(s.floor)} +- ${e(s.floorStdErr)}. The ODE is rk4; em and sde-heun run dX = [v + eps s] dt + sqrt(2 eps) dW with the score s from the velocity (SCIENCE.md section 6). In squares: the fraction of samples on the checkerboard's squares. Below or above the ODE: the per-seed difference from rk4 at its largest step count (same base draws, same held-out points) has a mean beyond twice its standard error.`, '');
  out.push('| Sampler | eps | Steps | NFE | Energy distance (10^-3) | In squares | Seconds per solve |', '|---|---|---|---|---|---|---|');
  for (const r of s.rows) out.push(`| ${r.solver} | ${r.eps ?? '0 (ODE)'} | ${r.steps} | ${r.nfe} | ${e(r.energyDistance)} +- ${e(r.energyDistanceStdErr)} | ${pct(r.inSquares)} | ${r.seconds.toFixed(2)} |`);
  out.push('');
  const ode = s.rows.filter((r) => r.eps === null);
  const best = (rows) => rows.reduce((a, b) => (b.energyDistance < a.energyDistance ? b : a));
  const bo = ode.at(-1);
  out.push(`- The ODE: rk4 with ${bo.steps} steps, ${e(bo.energyDistance)} +- ${e(bo.energyDistanceStdErr)}, against the floor ${e(s.floor)} +- ${e(s.floorStdErr)}.`);
  for (const solver of ['em', 'sde-heun']) {
    for (const eps of [...new Set(s.rows.filter((r) => r.solver === solver).map((r) => r.eps))]) {
      const rows = s.rows.filter((r) => r.solver === solver && r.eps === eps);
      const b = best(rows);
      // paired by seed (the same base draws and held-out points for the ODE and the SDE): a
      // difference counts when its mean exceeds twice its standard error
      const z = (r) => {
        const diffs = r.values.map((v, i) => bo.values[i] - v);
        const m = diffs.reduce((a, b) => a + b, 0) / diffs.length;
        const se = Math.sqrt(diffs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, diffs.length - 1) / diffs.length);
        return m / se;
      };
      const below = rows.filter((r) => z(r) > 2).map((r) => r.steps);
      const above = rows.filter((r) => z(r) < -2).map((r) => r.steps);
      const verdict = below.length ? `below the ODE at ${below.join(', ')} steps` : above.length ? `above the ODE at ${above.join(', ')} steps` : 'not apart from the ODE at any step count';
      out.push(`- ${solver} at eps ${eps}: ${rows.map((r) => e(r.energyDistance)).join(' / ')} at ${rows.map((r) => r.steps).join(' / ')} steps (best ${e(b.energyDistance)} +- ${e(b.energyDistanceStdErr)}, ${b.nfe} NFE); ${verdict}.`);
    }
  }
  out.push('');
  return out;
}

/** BENCHMARKS.md's text from the suites' results (a map from suite name to its JSON, or null). */
export function renderMarkdown(results) {
  const loaded = SUITES.map(([name, title, about]) => ({ name, title, about, r: results[name] ?? null }));
  const out = [];
  out.push('# FlowLab benchmarks', '');
  out.push('FlowLab against the tools people use today, on the same work, in one run. A ratio above 1 means FlowLab did');
  out.push('better: FlowLab / peer for rates and scores, peer / FlowLab where lower is better (marked so). These machines are');
  out.push('shared and noisy: FlowLab and its peers run in alternating passes and each keeps its best, so ratios hold up better');
  out.push('than absolute numbers. A peer that cannot run here is listed as missing with its reason, never as zero.', '');
  out.push('Run: `npm run bench` (full, about 40 minutes), `npm run bench -- --quick` (under 2 minutes; writes `bench/results/quick/`),');
  out.push('`npm run bench -- --only train,matmul`. Results: `bench/results/<suite>.json`; this file is rendered by `bench/summarize.mjs`.', '');

  const targets = [...loaded.flatMap(({ r }) => r?.targets ?? []), ...['unet-train', 'unet-train-1t'].flatMap((k) => unetTargets(results[k] ?? null))];
  out.push('## Targets', '');
  if (targets.length === 0) out.push('No results yet.', '');
  else {
    out.push('| Target | Goal | Measured | Met |', '|---|---|---|---|');
    for (const t of targets) {
      const measured = t.value === null ? 'missing' : t.goal.includes('%') ? pct(t.value) : t.goal.includes('x') ? `${t.value.toFixed(3)}x` : t.value.toFixed(1);
      out.push(`| ${t.name} | ${t.goal} | ${measured} | ${t.met === null ? '-' : t.met ? 'yes' : '**no**'} |`);
    }
    out.push('');
  }

  const behind = [
    ...loaded.flatMap(({ title, r }) => (r?.figures ?? []).filter((f) => f.ratio !== null && f.ratio < 1 && !f.limit).map((f) => ({ line: `${title}: ${f.name}: FlowLab ${num(f.flowlab)} vs ${f.peerName} ${num(f.peer)} ${f.unit}`, ratio: f.ratio }))),
    ...imageShortfalls(results['unet-train'] ?? null, results['unet-ttq'] ?? null),
    ...imageShortfalls(results['unet-train-1t'] ?? null, null),
  ];
  if (behind.length) {
    out.push('## Where FlowLab falls short', '');
    out.push('Every figure where a peer did better (ratio below 1), worst first (the MatMul-limit figures are judged by the targets above):', '');
    for (const { line, ratio } of behind.sort((x, y) => x.ratio - y.ratio)) out.push(`- ${line} (${ratio.toFixed(2)}x)`);
    out.push('');
  }

  for (const { name, title, about, r } of loaded) {
    out.push(`## ${title}`, '', about, '');
    if (!r) {
      out.push(`Not run yet (\`npm run bench -- --only ${name}\`).`, '');
      continue;
    }
    out.push(`Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.quick ? ' (**--quick run**: short rounds, fewer sizes)' : ''} on ${machineLine(r)}.`, '');
    out.push(figureTable(r), '');
    if (name === 'train') {
      if (r.details?.flopsFormula) out.push(`FLOPs per training step: ${r.details.flopsFormula} (forward 2 and backward 4 FLOPs per multiply-add of every layer's matrix product).`, '');
      const prof = profileSection(r);
      if (prof) out.push(prof, '');
    }
    if (name === 'sample' && r.details?.weights) out.push(`Weights: ${r.details.weights}.`, '');
  }

  out.push(...unetTrainSection(results['unet-train'] ?? null));
  if (results['unet-train-1t']) out.push(...unetTrainSection(results['unet-train-1t'], 'U-Net training and sampling against PyTorch, 1 thread'));
  out.push(...unetTtqSection(results['unet-ttq'] ?? null));
  out.push(...defaultsSection(results.defaults ?? null));
  out.push(...imageDefaultsSection(results['image-defaults'] ?? null));
  out.push(...gpuPretrainSection(results['gpu-pretrain'] ?? null));
  out.push(...gpuSection(results.gpu ?? null));
  out.push(...gpuSpeedSection(results['gpu-speed'] ?? null));
  out.push(...pathsSection(results.paths ?? null));
  if (results['paths-10000']) out.push(...pathsSection(results['paths-10000'], 'paths-10000.json'));
  out.push(...sdeSection(results.sde ?? null));

  out.push('## Method', '');
  out.push('- Every engine gets the same intra-op thread count (FlowLab\'s default on the benchmark machines: 2) and the same work: the same net, interpolant, batch, optimizer and data size (100k checkerboard points gathered per step).');
  out.push('- FlowLab runs K optimizer steps per call of its fused training program (K chosen so a call takes about 150 ms, as the service does) and reads back every step\'s loss; the peers read every step\'s loss too.');
  out.push('- Throughput figures are the best of several timed rounds after warm-up; set-up (graph building, session creation, torch.compile) is excluded and reported in the JSON details.');
  out.push('- FlowLab, PyTorch eager and the MatMul limit run in interleaved passes (A B, B A, ...) and each keeps its best pass, so a ratio compares figures taken under the same conditions. Under competing load PyTorch\'s OpenMP threads slow down far more than ONNX Runtime\'s, so trust ratios from runs whose load average at start is below the core count.');
  out.push('- Peers: PyTorch on CPU (`bench/peers/*.py`, eager and torch.compile), TensorFlow.js (`bench/peers/tfjs_train.mjs`, wasm and cpu backends), onnxruntime-node MatMul (`bench/peers/ort_matmul.mjs`), better-sqlite3 (`bench/peers/sqlite_raw.mjs`). Install the Python peers with `python3 -m pip install torch onnx onnxruntime torchdiffeq`.');
  out.push('');
  return out.join('\n');
}

/** Writes BENCHMARKS.md from bench/results/ and returns its path. */
export function summarize() {
  const results = Object.fromEntries([...SUITES.map(([name]) => name), 'gpu', 'gpu-speed', 'defaults', 'image-defaults', 'gpu-pretrain', 'paths', 'paths-10000', 'unet-train', 'unet-train-1t', 'unet-ttq', 'sde'].map((name) => [name, load(name)]));
  const file = join(ROOT, 'BENCHMARKS.md');
  writeFileSync(file, renderMarkdown(results));
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${summarize()}`);
}
