// The renderer under load (issue: "the page stays responsive"): draw time of 100k samples on the
// run page and frame times while a training streams to the page, in the real app and the system
// Chromium. There is no peer; the figures are held against the app's budget (50 ms).
import { existsSync } from 'node:fs';
import { runFlowlab } from '../lib/child.mjs';
import { figure, missing, valueOr } from '../lib/figures.mjs';

const CHROMIUM = process.env.FLOWLAB_CHROMIUM ?? '/usr/bin/chromium';
/** A frame or a draw slower than this is visible stutter. */
const BUDGET_MS = 50;

export async function run(ctx) {
  if (!existsSync(CHROMIUM)) {
    const why = missing(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set FLOWLAB_CHROMIUM)`);
    return { figures: [figure('draw 100k samples', 'ms', why, why, 'n/a', undefined, { lowerIsBetter: true })], targets: [], details: {} };
  }
  const args = ['--seconds', ctx.quick ? '3' : '6', '--reloads', ctx.quick ? '2' : '5'];
  const r = await runFlowlab('ui.ts', args, { timeoutS: 300, verbose: ctx.verbose });
  ctx.log(`  FlowLab renderer: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
  const budget = missing(`no peer; the budget is ${BUDGET_MS} ms`);
  const drawMs = valueOr(r, (v) => v.draw100k_ms.median);
  const p95 = valueOr(r, (v) => v.frames.p95_ms);
  // Frames count only if the training was still streaming when the window closed.
  const worst = valueOr(r, (v) => (v.frames.trainingLiveAtEnd ? v.frames.max_ms : undefined));
  const met = (v) => (typeof v === 'number' ? v < BUDGET_MS : null);
  return {
    figures: [
      figure('run page: draw 100k samples (median of reloads)', 'ms', drawMs, budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while training, median', 'ms', valueOr(r, (v) => v.frames.median_ms), budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while training, 95th percentile', 'ms', p95, budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while training, worst', 'ms', worst, budget, 'n/a', undefined, { lowerIsBetter: true }),
    ],
    targets: [
      { name: 'draw 100k samples', goal: `< ${BUDGET_MS} ms`, value: typeof drawMs === 'number' ? drawMs : null, met: met(drawMs) },
      { name: 'worst frame while training', goal: `< ${BUDGET_MS} ms`, value: typeof worst === 'number' ? worst : null, met: met(worst) },
    ],
    details: r.ok ? r.value : { missing: r.reason },
  };
}
