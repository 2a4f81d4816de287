/**
 * Builds the pretrained models shipped in models/ (<name>.onnx + <name>.json, see
 * src-main/service/pretrainedBuild.ts).
 *
 *   node --import tsx scripts/buildPretrained.ts [name ...]
 *       trains each 2-D toy with the default experiment (`flowlab train --dataset NAME --seed 1`)
 *       and ships it (default: checkerboard 8gaussians);
 *   node --import tsx scripts/buildPretrained.ts --from DATA_DIR --run RUN_ID --name mnist [--eval-n 100] [--samples 64]
 *       [--sde-eps E] [--title TEXT] [--description TEXT]
 *       ships a run already trained in a data folder: an image run with its shape, recorded
 *       curves, bits/dim on held-out images, classifier figures and samples as pixel levels;
 *       --sde-eps records the eps its samples are drawn with (measured, shipped and drawn later).
 * FLOWLAB_MODELS_DIR chooses the folder written to (default: models/).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultMlpConfig } from '../src-main/api/config.js';
import { getToy } from '../src-main/engine/data/index.js';
import { openStore } from '../src-main/store/index.js';
import { trainRun } from '../src-main/service/train.js';
import { modelsDir } from '../src-main/service/pretrained.js';
import { buildPretrainedFromRun } from '../src-main/service/pretrainedBuild.js';

const note = (m: string) => process.stderr.write(`${m}\n`);

function whole(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${flag} must be a whole number >= 1, got '${text}'`);
  return v;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: 'string' }, run: { type: 'string' }, name: { type: 'string' },
      'eval-n': { type: 'string' }, samples: { type: 'string' }, 'sde-eps': { type: 'string' }, title: { type: 'string' }, description: { type: 'string' },
    },
  });
  if (values.from !== undefined || values.run !== undefined) {
    if (!values.from || !values.run || !values.name) throw new Error('--from DATA_DIR, --run RUN_ID and --name NAME go together');
    const store = openStore(values.from);
    try {
      const m = await buildPretrainedFromRun({
        store, runId: values.run, name: values.name, dir: modelsDir(), title: values.title, description: values.description,
        evalN: whole('eval-n', values['eval-n']), samples: whole('samples', values.samples), onNote: note,
        ...(values['sde-eps'] !== undefined ? { sdeEps: Number(values['sde-eps']) } : {}),
      });
      note(`${m.name}: ${JSON.stringify(m.metrics)}`);
    } finally {
      store.close();
    }
  } else {
    const names = positionals.length ? positionals : ['checkerboard', '8gaussians'];
    const store = openStore(mkdtempSync(join(tmpdir(), 'flowlab-pretrained-')));
    for (const name of names) {
      const config = defaultMlpConfig(name, 1);
      config.threads = 2;
      const toy = getToy(name);
      note(`training ${name}...`);
      const s = await trainRun({ store, config });
      const m = await buildPretrainedFromRun({
        store, runId: s.runId, name, dir: modelsDir(), evalN: 2000, title: `${toy.title} (pretrained)`,
        description: `${toy.description} Trained with FlowLab's default experiment: ${config.interpolant} interpolant from a standard Gaussian, MLP ${config.net.depth} x ${config.net.width} ${config.net.activation}, ${config.train.steps} Adam steps, batch ${config.train.batch}, seed 1.`,
      });
      note(`${name}: ${JSON.stringify(m.metrics)}`);
    }
    store.close();
  }
}

// bad input is one line, not a stack
main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
