// The renderer under load (issue: "the page stays responsive"): draw time of 100k samples on the
// run page and of a 1,000-image gallery, and frame times while a 2-D training streams points and
// while an MNIST training streams its gallery, in the real app and the system
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
  const args = ['--seconds', ctx.quick ? '3' : '6', '--reloads', ctx.quick ? '2' : '5', '--image-seconds', ctx.quick ? '8' : '20'];
  const r = await runFlowlab('ui.ts', args, { timeoutS: 480, verbose: ctx.verbose });
  ctx.log(`  FlowLab renderer: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
  const budget = missing(`no peer; the budget is ${BUDGET_MS} ms`);
  const drawMs = valueOr(r, (v) => v.draw100k_ms.median);
  const p95 = valueOr(r, (v) => v.frames.p95_ms);
  // Frames count only if the training was still streaming when the window closed.
  const worst = valueOr(r, (v) => (v.frames.trainingLiveAtEnd ? v.frames.max_ms : undefined));
  const gallery = valueOr(r, (v) => v.gallery1000_ms.median);
  // Likewise for the image window, which also has to have seen new galleries arrive.
  const imageLive = (v) => v.imageFrames.trainingLiveAtEnd && v.imageFrames.galleryRedraws > 0;
  const imageWorst = valueOr(r, (v) => (imageLive(v) ? v.imageFrames.max_ms : undefined));
  const met = (v) => (typeof v === 'number' ? v < BUDGET_MS : null);
  return {
    figures: [
      figure('run page: draw 100k samples (median of reloads)', 'ms', drawMs, budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while training, median', 'ms', valueOr(r, (v) => v.frames.median_ms), budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while training, 95th percentile', 'ms', p95, budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while training, worst', 'ms', worst, budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('gallery: draw 1,000 images 28 x 28 (median of 7)', 'ms', gallery, budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while an MNIST U-Net trains and streams its gallery, median', 'ms', valueOr(r, (v) => v.imageFrames.median_ms), budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while an MNIST U-Net trains and streams its gallery, 95th percentile', 'ms', valueOr(r, (v) => v.imageFrames.p95_ms), budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('frame time while an MNIST U-Net trains and streams its gallery, worst', 'ms', imageWorst, budget, 'n/a', undefined, { lowerIsBetter: true }),
      figure('galleries redrawn within that window', 'count', valueOr(r, (v) => v.imageFrames.galleryRedraws), missing('no peer; a count, not a time'), 'n/a'),
    ],
    targets: [
      { name: 'draw 100k samples', goal: `< ${BUDGET_MS} ms`, value: typeof drawMs === 'number' ? drawMs : null, met: met(drawMs) },
      { name: 'worst frame while training', goal: `< ${BUDGET_MS} ms`, value: typeof worst === 'number' ? worst : null, met: met(worst) },
      { name: 'draw a 1,000-image gallery', goal: `< ${BUDGET_MS} ms`, value: typeof gallery === 'number' ? gallery : null, met: met(gallery) },
      { name: 'worst frame while an image training streams its gallery', goal: `< ${BUDGET_MS} ms`, value: typeof imageWorst === 'number' ? imageWorst : null, met: met(imageWorst) },
    ],
    details: r.ok ? r.value : { missing: r.reason },
  };
}
