// Time to quality: how good each side's net is after 30, 60, 120 and 300 s of training wall time
// (FlowLab against the PyTorch peer trained the same way: batch 1024, Adam lr 1e-3). Both save
// snapshots at the horizons; FlowLab's evaluator then judges every snapshot with the same code:
// checkerboard KL gap (held-out NLL - ln 32, lower is better) and in-square fraction of samples.
// FlowLab's final net is exported for the sampling suite.
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { runFlowlab, runPython } from '../lib/child.mjs';
import { figure, missing, valueOr } from '../lib/figures.mjs';

/** Where FlowLab's trained export is left for the sampling suite. */
export function exportPath(ctx) {
  mkdirSync(ctx.cacheDir, { recursive: true });
  return join(ctx.cacheDir, 'quality-flowlab.onnx');
}

export async function run(ctx) {
  const q = ctx.quick;
  const horizons = q ? [4] : [30, 60, 120, 300];
  const samples = q ? 2000 : 10000;
  const evalSteps = q ? 10 : 50;
  const nllPoints = q ? 0 : 1000;
  const snapshots = join(ctx.cacheDir, 'quality-snapshots');
  rmSync(snapshots, { recursive: true, force: true });
  mkdirSync(snapshots, { recursive: true });
  const args = ['--horizons', horizons.join(','), '--batch', '1024', '--snapshots', snapshots, '--threads', String(ctx.threads)];
  const budget = horizons[horizons.length - 1] + 60;
  const flowlab = await runFlowlab('quality.ts', [...args, '--export', exportPath(ctx)], { timeoutS: budget, verbose: ctx.verbose });
  ctx.log(`  FlowLab training: ${flowlab.ok ? 'done' : flowlab.reason} (${flowlab.seconds.toFixed(1)} s)`);
  const torch = ctx.machine.torchMissing
    ? { ok: false, reason: ctx.machine.torchMissing, seconds: 0 }
    : await runPython('torch_quality.py', args, { timeoutS: budget, verbose: ctx.verbose });
  ctx.log(`  PyTorch training: ${torch.ok ? 'done' : torch.reason} (${torch.seconds.toFixed(1)} s)`);

  const files = [flowlab, torch].flatMap((r) => (r.ok ? r.value.results.map((x) => x.snapshot) : []));
  const judged = files.length
    ? await runFlowlab('evaluate.ts', ['--files', files.join(','), '--samples', String(samples), '--eval-steps', String(evalSteps), '--nll-points', String(nllPoints), '--threads', String(ctx.threads)], { timeoutS: q ? 60 : 1800, verbose: ctx.verbose })
    : { ok: false, reason: 'no snapshots to evaluate', seconds: 0 };
  ctx.log(`  evaluation: ${judged.ok ? 'done' : judged.reason} (${judged.seconds.toFixed(1)} s)`);

  const snapshotOf = (r, h) => (r.ok ? r.value.results.find((x) => x.seconds === h)?.snapshot : undefined);
  const score = (r, h, key) => {
    if (!r.ok) return missing(r.reason);
    const file = snapshotOf(r, h);
    return valueOr(judged, (v) => v.results.find((x) => x.file === file)?.[key]);
  };
  const steps = (r, h) => valueOr(r, (v) => v.results.find((x) => x.seconds === h)?.steps);
  const peerName = `PyTorch ${ctx.machine.torch ?? ''} eager (CPU)`.replace('  ', ' ');
  const figures = [];
  for (const h of horizons) {
    const kl = nllPoints > 0
      ? [score(flowlab, h, 'kl_gap'), score(torch, h, 'kl_gap')]
      : [missing('not run with --quick'), missing('not run with --quick')];
    figures.push(figure(`checkerboard KL gap after ${h} s of training`, 'nats', kl[0], kl[1], peerName,
      `held-out NLL of ${nllPoints || 'n/a'} points - ln 32, exact divergence, dopri5 1e-5; lower is better, ratio = peer / FlowLab`, { lowerIsBetter: true }));
    figures.push(figure(`checkerboard in-square fraction after ${h} s of training`, 'fraction', score(flowlab, h, 'in_square'), score(torch, h, 'in_square'), peerName,
      `${samples} samples, RK4 ${evalSteps} steps; data: 1`));
    figures.push(figure(`training steps done in ${h} s`, 'steps', steps(flowlab, h), steps(torch, h), peerName));
  }
  return {
    figures,
    targets: [],
    details: {
      evaluator: 'bench/flowlab/evaluate.ts (FlowLab engine) judges both sides\' snapshots',
      flowlab: flowlab.ok ? flowlab.value : { missing: flowlab.reason },
      torch: torch.ok ? torch.value : { missing: torch.reason },
      evaluation: judged.ok ? judged.value : { missing: judged.reason },
      exported: flowlab.ok ? exportPath(ctx) : null,
    },
  };
}
