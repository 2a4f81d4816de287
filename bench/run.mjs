// FlowLab's benchmark suite: FlowLab and its peers side by side, in one run, on the same work.
//
//   npm run bench                      every suite, full length (about 40 minutes on 2 cores)
//   npm run bench -- --quick           every suite, short (under 2 minutes); results in bench/results/quick/
//   npm run bench -- --only train,matmul   some suites
//   options: --threads N (default 2), --verbose (show the programs' stderr), --no-summary
//
// Each suite writes bench/results/<suite>.json (see lib/figures.mjs for the format); then
// summarize.mjs renders BENCHMARKS.md. A peer that cannot run is reported missing with its
// reason, never as zero. This is not a test: `npm test` never runs it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/child.mjs';
import { writeResult } from './lib/figures.mjs';
import { machineInfo } from './lib/machine.mjs';
import { summarize } from './summarize.mjs';
import * as matmul from './suites/matmul.mjs';
import * as train from './suites/train.mjs';
import * as quality from './suites/quality.mjs';
import * as sample from './suites/sample.mjs';
import * as store from './suites/store.mjs';
import * as ui from './suites/ui.mjs';
import * as evaluation from './suites/eval.mjs';

/** Order matters: sample reads quality's exported net. */
const SUITES = { matmul, train, quality, sample, store, ui, eval: evaluation };
/** FlowLab's thread count on the benchmark machines; every peer gets the same. */
const DEFAULT_THREADS = 2;
const BATCHES = [256, 1024, 4096];

function parseArgs(argv) {
  const opts = { quick: false, only: Object.keys(SUITES), threads: DEFAULT_THREADS, verbose: false, summary: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--verbose') opts.verbose = true;
    else if (a === '--no-summary') opts.summary = false;
    else if (a === '--only') opts.only = argv[++i].split(',');
    else if (a === '--threads') opts.threads = Number(argv[++i]);
    else {
      console.error(`unknown option ${a}; use --quick, --only ${Object.keys(SUITES).join(',')}, --threads N, --verbose, --no-summary`);
      process.exit(2);
    }
  }
  for (const name of opts.only) {
    if (!SUITES[name]) {
      console.error(`unknown suite '${name}'; choose from ${Object.keys(SUITES).join(', ')}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.threads) || opts.threads < 1) {
    console.error(`--threads must be a positive whole number, got ${opts.threads}`);
    process.exit(2);
  }
  return opts;
}

function readPrior(dir, name) {
  const file = join(dir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const resultsDir = join(REPO_ROOT, 'bench', 'results', ...(opts.quick ? ['quick'] : []));
  const machine = machineInfo(opts.threads);
  console.log(`FlowLab benchmarks${opts.quick ? ' (quick)' : ''}: ${machine.model}, ${machine.cpus} CPUs, ${opts.threads} threads, load average ${machine.loadAverage.join(' ')}`);
  if (machine.torchMissing) console.log(`  PyTorch peers missing: ${machine.torchMissing}`);
  if (machine.loadAverage[0] > machine.cpus * 0.5) console.log('  note: the machine is busy; figures are noisier than usual (ratios hold up better than absolute numbers)');
  const ctx = {
    quick: opts.quick,
    threads: opts.threads,
    batches: BATCHES,
    verbose: opts.verbose,
    machine,
    cacheDir: join(REPO_ROOT, 'bench', '.cache'),
    prior: {},
    log: (line) => console.log(line),
  };
  // Suites not run this time still lend their last results (e.g. sample reads quality's export).
  for (const name of Object.keys(SUITES)) ctx.prior[name] = readPrior(resultsDir, name);
  for (const name of Object.keys(SUITES)) {
    if (!opts.only.includes(name)) continue;
    const t0 = performance.now();
    console.log(`${name}:`);
    const out = await SUITES[name].run(ctx);
    const body = { machine, date: new Date().toISOString(), quick: opts.quick, ...out };
    const file = writeResult(resultsDir, name, body);
    ctx.prior[name] = { suite: name, ...body };
    for (const f of out.figures) {
      const show = (v) => (v === null ? 'missing' : v.toPrecision(4));
      console.log(`  ${f.name} [${f.unit}]: FlowLab ${show(f.flowlab)} | ${f.peerName} ${show(f.peer)}${f.ratio !== null ? ` | ratio ${f.ratio.toFixed(2)}` : ''}`);
    }
    console.log(`  -> ${file} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  if (opts.summary) {
    const md = summarize();
    console.log(`wrote ${md}`);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
