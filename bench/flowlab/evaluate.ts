/**
 * One judge for both sides of the time-to-quality race: evaluates nets given as flat parameter
 * vectors (FlowLab's layout; the PyTorch peer writes its snapshots in it too) with FlowLab's
 * engine, so both are measured by the same code:
 *   in_square  fraction of samples (RK4, fixed steps, from fixed N(0, I) draws) on the
 *              checkerboard's black squares;
 *   kl_gap     NLL of held-out checkerboard points (exact divergence, dopri5 backward) minus the
 *              true entropy ln 32: KL(data || model) >= 0, lower is better.
 *
 * usage: node --import tsx bench/flowlab/evaluate.ts --files a.f32,b.f32 --samples 10000 --eval-steps 50 --nll-points 1000 --threads 2
 * prints one JSON line: { results: [{ file, in_square, nll, kl_gap, kl_gap_stderr, nll_nfe }] }
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_NET } from '../../src-main/api/config.js';
import { checkerboard } from '../../src-main/engine/data/toys/checkerboard.js';
import { paramLayout, type MlpSpec } from '../../src-main/engine/nets/mlp.js';
import { Rng } from '../../src-main/engine/random.js';
import { logLikelihood, standardNormalLogDensity } from '../../src-main/engine/sample/likelihood.js';
import { netDivergence } from '../../src-main/engine/sample/netDivergence.js';
import { NetSampler } from '../../src-main/engine/sample/netSampler.js';
import { emit, fail, inSquareFraction, parseArgs } from './common.js';

const SAMPLE_SEED = 7;
/** Held-out points come from a seed no training run uses. */
const TEST_SEED = 0x7e57;
/** The evaluation's likelihood tolerances (the service's defaults). */
const NLL_TOL = 1e-5;

function readParams(file: string, net: MlpSpec): Float32Array {
  const bytes = readFileSync(file);
  const p = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (p.length !== paramLayout(net).total) throw new Error(`${file} holds ${p.length} parameters; the default net has ${paramLayout(net).total}`);
  return p;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { files: '', samples: '10000', 'eval-steps': '50', 'nll-points': '1000', threads: '2' });
  const threads = Number(a.threads);
  const net: MlpSpec = { ...DEFAULT_NET, dim: 2 };
  const n = Number(a.samples);
  const x0 = new Rng(SAMPLE_SEED).fillNormal(new Float32Array(n * 2)) as Float32Array;
  const nllPoints = Number(a['nll-points']);
  const test = nllPoints > 0 ? checkerboard.sample(nllPoints, TEST_SEED) : null;
  const results = [];
  for (const file of a.files.split(',').filter(Boolean)) {
    const params = readParams(file, net);
    const sampler = new NetSampler(net, params, 'cpu', threads);
    const { x } = await sampler.solve(x0, n, { solver: 'rk4', steps: Number(a['eval-steps']), t0: 0, t1: 1 });
    await sampler.release();
    const row: Record<string, number | string | null> = { file, in_square: inSquareFraction(x), nll: null, kl_gap: null, kl_gap_stderr: null, nll_nfe: null };
    if (test) {
      const div = await netDivergence(net, params, { probes: 0, backend: 'cpu', threads });
      try {
        const r = await logLikelihood(div.fn, test, nllPoints, 2, { solver: 'dopri5', rtol: NLL_TOL, atol: NLL_TOL, baseLogDensity: standardNormalLogDensity });
        Object.assign(row, { nll: r.nll, kl_gap: r.nll - checkerboard.entropy!, kl_gap_stderr: r.nllStdErr, nll_nfe: r.nfe });
      } finally {
        await div.release();
      }
    }
    results.push(row);
  }
  emit({ results });
}

main().catch(fail);
