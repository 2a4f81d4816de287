/**
 * FlowLab's sampling throughput: x0 ~ N(0, I) pushed from t = 0 to 1 by the fused RK4 program and
 * by Dormand-Prince 5(4) driving the velocity program, on given weights (the flat parameter vector
 * written beside an export by quality.ts) or, without --params, on the net's seeded
 * initialisation. --export writes the weights used in FlowLab's export format, so the peer can
 * load exactly them. Throughput = points * NFE / seconds; one-time session set-up is excluded
 * (a warm-up solve runs first) and reported as setup_s.
 *
 * usage: node --import tsx bench/flowlab/sample.ts --points 10000,100000 --rk4-steps 50 --rtol 1e-5 --atol 1e-5 --threads 2 [--params p.f32] [--export v.onnx]
 * prints one JSON line: { threads, weights, results: [{ method, points, nfe, seconds, points_nfe_per_s, in_square, setup_s }] }
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_NET } from '../../src-main/api/config.js';
import { initParams, paramLayout, type MlpSpec } from '../../src-main/engine/nets/mlp.js';
import { Rng } from '../../src-main/engine/random.js';
import { NetSampler } from '../../src-main/engine/sample/netSampler.js';
import { exportVelocityModel } from '../../src-main/engine/sample/velocityProgram.js';
import { emit, fail, inSquareFraction, parseArgs } from './common.js';

const SEED = 4321;
const INIT_SEED = 0;

function loadParams(path: string, net: MlpSpec): Float32Array {
  const bytes = readFileSync(path);
  const params = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const P = paramLayout(net).total;
  if (params.length !== P) throw new Error(`${path} holds ${params.length} parameters; the default net has ${P}`);
  return params;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), { points: '10000,100000', 'rk4-steps': '50', rtol: '1e-5', atol: '1e-5', threads: '2', params: '', export: '', methods: 'rk4,dopri5' });
  const threads = Number(a.threads);
  const net: MlpSpec = { ...DEFAULT_NET, dim: 2 };
  const params = a.params ? loadParams(a.params, net) : initParams(net, INIT_SEED);
  if (a.export) writeFileSync(a.export, exportVelocityModel(net, params, { weights: a.params ? 'trained' : 'initialisation' }));
  const results = [];
  for (const n of a.points.split(',').map(Number)) {
    const x0 = new Rng(SEED).fillNormal(new Float32Array(n * net.dim)) as Float32Array;
    for (const method of a.methods.split(',')) {
      const sampler = new NetSampler(net, params, 'cpu', threads);
      const setupStart = performance.now();
      if (method === 'rk4') await sampler.solve(x0, n, { solver: 'rk4', steps: 1, t0: 0, t1: 1 });
      else await sampler.velocity()(0, x0.subarray(0, 16 * net.dim), 16, net.dim);
      const setupS = (performance.now() - setupStart) / 1000;
      const start = performance.now();
      const r = method === 'rk4'
        ? await sampler.solve(x0, n, { solver: 'rk4', steps: Number(a['rk4-steps']), t0: 0, t1: 1 })
        : await sampler.solve(x0, n, { solver: 'dopri5', rtol: Number(a.rtol), atol: Number(a.atol), t0: 0, t1: 1 });
      const seconds = (performance.now() - start) / 1000;
      await sampler.release();
      results.push({ method, points: n, nfe: r.nfe, seconds, points_nfe_per_s: (n * r.nfe) / seconds, in_square: inSquareFraction(r.x), setup_s: setupS });
    }
  }
  emit({ threads, weights: a.params ? 'trained' : 'initialisation', results });
}

main().catch(fail);
