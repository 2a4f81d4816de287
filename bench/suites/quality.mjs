// Time to quality: how good each side's net is after 30, 60, 120 and 300 s of training wall time
// (FlowLab against the PyTorch peer trained the same way: batch 1024, Adam lr 1e-3). The two train
// in alternating slices of 10 s (both processes stay alive; each counts only its own training
// time), so a change in the machine's load hits both alike. Both save snapshots at the horizons;
// FlowLab's evaluator then judges every snapshot with the same code:
// checkerboard KL gap (held-out NLL - ln 32, lower is better) and in-square fraction of samples.
// FlowLab's final net is exported for the sampling suite.
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { REPO_ROOT, runFlowlab } from '../lib/child.mjs';
import { Interactive } from '../lib/interactive.mjs';
import { figure, missing, valueOr } from '../lib/figures.mjs';

/** Where FlowLab's trained export is left for the sampling suite. */
export function exportPath(ctx) {
  mkdirSync(ctx.cacheDir, { recursive: true });
  return join(ctx.cacheDir, 'quality-flowlab.onnx');
}

/**
 * Trains both sides in alternating slices of training time (A B, B A, ...) up to each horizon,
 * snapshotting at the horizons. Returns per side { ok, value: { results }, reason }.
 */
async function race(sides, horizons, sliceS) {
  const results = sides.map(() => []);
  const failed = sides.map(() => null);
  // Each program says { ready } once its session is built: set-up is not part of the race.
  const ready = await Promise.allSettled(sides.map((s) => s.ask()));
  ready.forEach((r, i) => {
    if (r.status === 'rejected') failed[i] = r.reason.message;
  });
  let slice = 0;
  for (let until = sliceS; until <= horizons[horizons.length - 1] + 1e-9; until += sliceS) {
    const order = sides.map((_, i) => i);
    if (slice++ % 2 === 1) order.reverse();
    const label = horizons.find((h) => Math.abs(h - until) < 1e-9);
    for (const i of order) {
      if (failed[i]) continue;
      try {
        await sides[i].ask(`train ${until}`);
        if (label !== undefined) results[i].push({ seconds: label, ...(await sides[i].ask(`snapshot ${label}`)) });
      } catch (e) {
        failed[i] = e.message;
      }
    }
  }
  for (let i = 0; i < sides.length; i++) {
    if (failed[i]) {
      sides[i].kill();
      continue;
    }
    try {
      const done = await sides[i].ask(null);
      results[i].meta = done;
    } catch (e) {
      failed[i] = e.message;
    }
  }
  return sides.map((_, i) => (failed[i] ? { ok: false, reason: failed[i], seconds: 0 } : { ok: true, value: { ...results[i].meta, results: results[i] }, seconds: 0 }));
}

export async function run(ctx) {
  const q = ctx.quick;
  const horizons = q ? [4] : [30, 60, 120, 300];
  /** Training seconds each side gets per turn. */
  const sliceS = q ? 2 : 10;
  const samples = q ? 2000 : 10000;
  const evalSteps = q ? 10 : 50;
  const nllPoints = q ? 0 : 1000;
  const snapshots = join(ctx.cacheDir, 'quality-snapshots');
  rmSync(snapshots, { recursive: true, force: true });
  mkdirSync(snapshots, { recursive: true });
  const args = ['--batch', '1024', '--snapshots', snapshots, '--threads', String(ctx.threads)];
  const started = performance.now();
  const flowSide = new Interactive(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench/flowlab/quality.ts'), ...args, '--export', exportPath(ctx)], 'FlowLab quality.ts', ctx.verbose);
  const sides = [flowSide];
  if (!ctx.machine.torchMissing) sides.push(new Interactive('python3', [join(REPO_ROOT, 'bench/peers/torch_quality.py'), ...args], 'peer torch_quality.py', ctx.verbose));
  const raced = await race(sides, horizons, sliceS);
  const flowlab = raced[0];
  const torch = ctx.machine.torchMissing ? { ok: false, reason: ctx.machine.torchMissing, seconds: 0 } : raced[1];
  ctx.log(`  race in ${sliceS} s slices: FlowLab ${flowlab.ok ? 'done' : flowlab.reason}; PyTorch ${torch.ok ? 'done' : torch.reason} (${((performance.now() - started) / 1000).toFixed(1)} s)`);

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
