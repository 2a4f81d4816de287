// Store: metrics logging rate (rows/s) into SQLite through FlowLab's store against
// better-sqlite3 used directly on the same table. Renderer draw and frame times: suites/ui.mjs.
import { runFlowlab, runNodePeer } from '../lib/child.mjs';
import { figure, valueOr } from '../lib/figures.mjs';

/** Rows per fused training chunk: K losses (and K gradient norms) arrive together. */
const CHUNK = 100;

export async function run(ctx) {
  const args = ['--chunk', String(CHUNK), '--seconds', ctx.quick ? '0.5' : '2', '--rounds', ctx.quick ? '2' : '3'];
  const flowlab = await runFlowlab('store.ts', args, { timeoutS: 120, verbose: ctx.verbose });
  ctx.log(`  FlowLab store: ${flowlab.ok ? 'done' : flowlab.reason} (${flowlab.seconds.toFixed(1)} s)`);
  const peer = await runNodePeer('sqlite_raw.mjs', args, { timeoutS: 120, verbose: ctx.verbose });
  ctx.log(`  better-sqlite3: ${peer.ok ? 'done' : peer.reason} (${peer.seconds.toFixed(1)} s)`);
  const peerName = `better-sqlite3 ${peer.ok ? peer.value.better_sqlite3 : ''} directly, same table`.replace('  ', ' ');
  return {
    figures: [
      figure(`metrics logging, chunks of ${CHUNK} steps x 2 metrics`, 'rows/s', valueOr(flowlab, (v) => v.rows_per_s), valueOr(peer, (v) => v.rows_per_s), peerName),
    ],
    targets: [],
    details: { flowlab: flowlab.ok ? flowlab.value : { missing: flowlab.reason }, peer: peer.ok ? peer.value : { missing: peer.reason } },
  };
}
