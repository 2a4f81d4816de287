/** `flowlab export`: the velocity net as ONNX, the latest samples as CSV/NPY, or the run as JSON. */
import { UserError } from '../errors.js';
import { openStore } from '../store/index.js';
import { EXPORT_FORMATS, exportRun, type ExportFormat } from '../service/export.js';
import { COMMON_HELP, dataDir, parse, str } from './args.js';

export const EXPORT_HELP = `flowlab export --run RUN_ID --format ${EXPORT_FORMATS.join('|')} --out PATH

Writes one thing of a run to a file.
  --run RUN_ID          the run (see \`flowlab runs\`)
  --format NAME         onnx: the velocity net v(t, x) with the EMA weights: inputs x [N, d],
                              t [N, 1]; output v [N, d]; the run's config in its metadata
                        csv:  the run's latest samples (draw them with \`flowlab sample\`)
                        npy:  the same as a float32 NumPy array [n, d]
                        json: the run record, its loss curve and evaluations
  --out PATH            the file to write
${COMMON_HELP}`;

export async function exportCommand(argv: string[]): Promise<number> {
  const v = parse('export', argv, { run: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } });
  if (v.help) {
    console.log(EXPORT_HELP);
    return 0;
  }
  const runId = str(v, 'run');
  const format = str(v, 'format');
  const out = str(v, 'out');
  if (!runId) throw new UserError('no run given; pass --run RUN_ID (list runs with `flowlab runs`)');
  if (!format) throw new UserError(`no format given; pass --format ${EXPORT_FORMATS.join('|')}`);
  if (!out) throw new UserError('no output path given; pass --out PATH');
  const store = openStore(dataDir(v));
  try {
    const r = await exportRun({ store, runId, format: format as ExportFormat, out });
    if (v.json) console.log(JSON.stringify({ runId, format, path: r.path, bytes: r.bytes }));
    else console.log(`exported run ${runId} as ${format} -> ${r.path} (${r.bytes} bytes)`);
    return 0;
  } finally {
    store.close();
  }
}
