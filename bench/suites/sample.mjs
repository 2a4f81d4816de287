// Sampling throughput: RK4 with 50 steps and Dormand-Prince 5(4) (rtol = atol = 1e-5) on 10k and
// 100k points, FlowLab against PyTorch (torchdiffeq's dopri5 when installed) on the same weights:
// FlowLab's export from the time-to-quality suite when it ran, else the net's seeded
// initialisation exported by FlowLab. Figures: points * NFE / s (work rate) and points / s (what
// a user waits for; the two solvers' adaptive step counts may differ). Each size runs FlowLab and
// the peer back to back in alternating order (two passes for the small size, one for the large).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runFlowlab, runJson, runPython, REPO_ROOT } from '../lib/child.mjs';
import { figure, valueOr } from '../lib/figures.mjs';
import { interleave, mergeBest } from '../lib/passes.mjs';
import { exportPath } from './quality.mjs';

/** Sizes up to this many points get two passes (they take seconds); larger ones one. */
const TWO_PASS_MAX_POINTS = 10_000;

export async function run(ctx) {
  const q = ctx.quick;
  const points = q ? [5000] : [10000, 100000];
  const rk4Steps = q ? 10 : 50;
  const tol = q ? '1e-3' : '1e-5';
  mkdirSync(ctx.cacheDir, { recursive: true });
  const trained = exportPath(ctx);
  const paramsFile = trained.replace(/\.onnx$/, '') + '.params.f32';
  const useTrained = existsSync(trained) && existsSync(paramsFile) && ctx.prior.quality?.details?.exported === trained;
  const onnx = useTrained ? trained : join(ctx.cacheDir, 'sample-init.onnx');
  const common = ['--rk4-steps', String(rk4Steps), '--rtol', tol, '--atol', tol, '--threads', String(ctx.threads)];
  const timeoutS = q ? 60 : 1200;

  // FlowLab writes the weights both sides use (unless they come from the quality suite).
  let flowRuns = [];
  let torchRuns = [];
  let wroteExport = useTrained;
  for (const n of points) {
    const [f, t] = await interleave(!q && n <= TWO_PASS_MAX_POINTS ? 2 : 1, [
      async () => {
        const r = await runFlowlab('sample.ts', ['--points', String(n), ...common, ...(useTrained ? ['--params', paramsFile] : ['--export', onnx])], { timeoutS, verbose: ctx.verbose });
        ctx.log(`  FlowLab ${n} points: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
        if (r.ok) wroteExport = true;
        return r;
      },
      async () => {
        if (ctx.machine.torchMissing) return { ok: false, reason: ctx.machine.torchMissing, seconds: 0 };
        if (!wroteExport && !existsSync(onnx)) {
          // No FlowLab export to share: the peer still runs, on a stand-in net in the same layout.
          const made = await runJson('python3', [join(REPO_ROOT, 'bench/fixtures/make_fixtures.py'), '--velocity', onnx], { timeoutS: 120, label: 'make_fixtures.py' });
          ctx.log(`  stand-in net for the peer: ${made.ok || existsSync(onnx) ? 'written' : made.reason}`);
        }
        const r = await runPython('torch_sample.py', ['--onnx', onnx, '--points', String(n), ...common], { timeoutS, verbose: ctx.verbose });
        ctx.log(`  PyTorch ${n} points: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
        return r;
      },
    ]);
    flowRuns = flowRuns.concat(f);
    torchRuns = torchRuns.concat(t);
  }
  const key = (x) => `${x.method}:${x.points}`;
  const flowlab = mergeBest(flowRuns, key, 'points_nfe_per_s');
  const torch = mergeBest(torchRuns, key, 'points_nfe_per_s');

  const pick = (r, method, n, k) => valueOr(r, (v) => v.results.find((x) => x.method === method && x.points === n)?.[k]);
  const torchName = `PyTorch ${ctx.machine.torch ?? ''} (CPU)`.replace('  ', ' ');
  const dopriName = torch.ok ? `PyTorch ${torch.value.torch} + ${torch.value.solver_dopri5}` : torchName;
  const figures = [];
  for (const n of points) {
    const label = `${n / 1000}k points`;
    figures.push(figure(`sample RK4 ${rk4Steps} steps, ${label}`, 'points*NFE/s', pick(flowlab, 'rk4', n, 'points_nfe_per_s'), pick(torch, 'rk4', n, 'points_nfe_per_s'), `${torchName}, classical RK4`));
    figures.push(figure(`sample dopri5 rtol ${tol}, ${label}`, 'points*NFE/s', pick(flowlab, 'dopri5', n, 'points_nfe_per_s'), pick(torch, 'dopri5', n, 'points_nfe_per_s'), dopriName));
    const rate = (r) => valueOr(r, (v) => {
      const x = v.results.find((y) => y.method === 'dopri5' && y.points === n);
      return x ? n / x.seconds : undefined;
    });
    figures.push(figure(`sample dopri5 rtol ${tol}, ${label}: points per second of solve`, 'points/s', rate(flowlab), rate(torch), dopriName,
      'includes the difference in step counts (NFE in the details)'));
  }
  return {
    figures,
    targets: [],
    details: {
      weights: useTrained ? 'FlowLab export from the time-to-quality suite' : flowlab.ok ? "the net's seeded initialisation, exported by FlowLab" : 'stand-in net from make_fixtures.py (FlowLab did not run)',
      flowlab: flowlab.ok ? flowlab.value : { missing: flowlab.reason },
      torch: torch.ok ? torch.value : { missing: torch.reason },
    },
  };
}
