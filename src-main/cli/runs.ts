/** `flowlab runs`: list every run in the store. */
import { openStore, type RunRecord } from '../store/index.js';
import { COMMON_HELP, dataDir, parse } from './args.js';

export const RUNS_HELP = `flowlab runs [options]

Lists the runs in the store, newest first.
${COMMON_HELP}`;

function fmt(x: number | null): string {
  return x === null ? '-' : x.toPrecision(4);
}

export function runsTable(runs: RunRecord[]): string {
  const rows = runs.map((r) => [r.id, r.status, r.dataset, r.interpolant, String(r.stepsDone), fmt(r.lastLoss), fmt(r.bestLoss), r.createdAt.slice(0, 19).replace('T', ' ')]);
  const head = ['id', 'status', 'dataset', 'interpolant', 'steps', 'last loss', 'best loss', 'created'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export async function runsCommand(argv: string[]): Promise<number> {
  const v = parse('runs', argv, {});
  if (v.help) {
    console.log(RUNS_HELP);
    return 0;
  }
  const store = openStore(dataDir(v));
  try {
    const runs = store.listRuns();
    if (v.json) console.log(JSON.stringify(runs));
    else console.log(runs.length ? runsTable(runs) : 'no runs yet; start one with `flowlab train --dataset checkerboard`');
    return 0;
  } finally {
    store.close();
  }
}
