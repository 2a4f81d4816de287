// Evaluation timings (the evaluation issue): `flowlab eval` on the shipped checkerboard model.
// No peer runs the same measurements; the figures stand alone.
import { runFlowlab } from '../lib/child.mjs';
import { figure, missing, valueOr } from '../lib/figures.mjs';

export async function run(ctx) {
  const points = ctx.quick ? 1000 : 10000;
  const r = await runFlowlab('evalTiming.ts', ['--points', String(points), '--threads', String(ctx.threads)], { timeoutS: 900, verbose: ctx.verbose });
  ctx.log(`  FlowLab eval: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
  const none = missing('no peer runs the same evaluation');
  const lower = { lowerIsBetter: true };
  return {
    figures: [
      figure(`eval --nll on ${points} checkerboard points (exact divergence, dopri5 1e-5)`, 's', valueOr(r, (v) => v.nll.seconds), none, 'n/a', r.ok ? `NFE ${r.value.nll.nfe}, KL gap ${r.value.nll.klGap.toFixed(3)} nats` : undefined, lower),
      figure(`eval --distances on ${Math.min(2000, points)} points (energy, MMD, sliced W2, exact W2, each with its floor)`, 's', valueOr(r, (v) => v.distances.seconds), none, 'n/a', undefined, lower),
      figure(`eval --geometry on ${Math.min(2000, points)} points (kinetic energy, straightness, cycle error)`, 's', valueOr(r, (v) => v.geometry.seconds), none, 'n/a', undefined, lower),
    ],
    targets: [],
    details: r.ok ? r.value : { missing: r.reason },
  };
}
