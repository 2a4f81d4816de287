import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { defaultConfig } from '../../src-main/api/config.js';
import { Rng } from '../../src-main/engine/random.js';
import { decodeNpy } from '../../src-main/engine/data/index.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { loadRunWeights } from '../../src-main/service/runModel.js';
import { NetSampler } from '../../src-main/engine/sample/netSampler.js';
import { cli, lastJson } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-export-'));
const store = openStore(dir);
const config = defaultConfig('moons', 4);
config.net = { kind: 'mlp', width: 32, depth: 2, activation: 'gelu', timeFrequencies: 3 };
Object.assign(config.train, { steps: 200, batch: 128 });
const run = await trainRun({ store, config });
store.close();

const n = 64;
const rng = new Rng(21);
const x = Float32Array.from({ length: n * 2 }, () => rng.normal());
const t = Float32Array.from({ length: n }, () => rng.uniform());

async function flowlabVelocity(): Promise<Float32Array> {
  const s = openStore(dir);
  const w = loadRunWeights(s, run.runId);
  s.close();
  const sampler = new NetSampler(w.net, w.params, 'cpu', 1);
  const out = new Float32Array(n * 2);
  // one row at a time through FlowLab's own velocity program (t differs per row)
  const v = sampler.velocity();
  for (let i = 0; i < n; i++) out.set(await v(t[i], x.subarray(2 * i, 2 * i + 2), 1, 2), 2 * i);
  await sampler.release();
  return out;
}

test('the exported ONNX runs in plain onnxruntime-node and matches FlowLab velocity to 1e-6', async () => {
  const path = join(dir, 'net.onnx');
  const r = cli(['export', '--run', run.runId, '--format', 'onnx', '--out', path, '--json', '--data-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(lastJson(r.stdout).path, path);
  const session = await ort.InferenceSession.create(readFileSync(path));
  assert.deepEqual(session.inputNames, ['x', 't']);
  assert.deepEqual(session.outputNames, ['v']);
  const out = await session.run({ x: new ort.Tensor('float32', x, [n, 2]), t: new ort.Tensor('float32', t, [n, 1]) });
  const v = out.v.data as Float32Array;
  const ref = await flowlabVelocity();
  for (let i = 0; i < v.length; i++) assert.ok(Math.abs(v[i] - ref[i]) < 1e-6, `${v[i]} vs ${ref[i]}`);
});

test('the exported ONNX loads in Python onnxruntime with the run config in its metadata, and samples exported as NPY load in NumPy', async () => {
  const onnxPath = join(dir, 'py.onnx');
  const npyPath = join(dir, 'new-folder', 'samples.npy'); // sample makes the folder
  const csvPath = join(dir, 'samples.csv');
  assert.equal(cli(['export', '--run', run.runId, '--format', 'onnx', '--out', onnxPath, '--data-dir', dir]).code, 0);
  assert.equal(cli(['sample', '--run', run.runId, '--n', '300', '--out', npyPath, '--data-dir', dir]).code, 0);
  assert.equal(cli(['export', '--run', run.runId, '--format', 'csv', '--out', csvPath, '--data-dir', dir]).code, 0);
  const inputs = join(dir, 'inputs.json');
  writeFileSync(inputs, JSON.stringify({ x: Array.from(x), t: Array.from(t) }));
  const script = `
import json, sys, numpy as np, onnxruntime as ort
s = ort.InferenceSession(sys.argv[1])
inp = json.load(open(sys.argv[2]))
x = np.array(inp['x'], dtype=np.float32).reshape(-1, 2); t = np.array(inp['t'], dtype=np.float32).reshape(-1, 1)
v = s.run(['v'], {'x': x, 't': t})[0]
meta = s.get_modelmeta().custom_metadata_map
samples = np.load(sys.argv[3])
print(json.dumps({'v': v.reshape(-1).tolist(), 'config': json.loads(meta['config']), 'shape': list(samples.shape), 'dtype': str(samples.dtype)}))
`;
  const py = spawnSync('python3', ['-c', script, onnxPath, inputs, npyPath], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const res = JSON.parse(py.stdout);
  assert.deepEqual(res.config, config);
  assert.deepEqual(res.shape, [300, 2]);
  assert.equal(res.dtype, 'float32');
  const ref = await flowlabVelocity();
  res.v.forEach((vi: number, i: number) => assert.ok(Math.abs(vi - ref[i]) < 1e-6));
  const csv = readFileSync(csvPath, 'utf8').trim().split('\n');
  assert.equal(csv.length, 301, 'header + one row per sample');
  const npy = decodeNpy(readFileSync(npyPath), npyPath);
  assert.equal(npy.n, 300);
});

test('sample --trajectory writes every Euler step as [steps + 1, n, d]: x_{k+1} = x_k + h v(t_k, x_k), ending at the samples', async () => {
  const steps = 8;
  const trajPath = join(dir, 'paths', 'euler.npy'); // the folder is made
  const outPath = join(dir, 'paths', 'euler-samples.npy');
  const r = cli(['sample', '--run', run.runId, '--n', String(n), '--solver', 'euler', '--steps', String(steps), '--trajectory', trajPath, '--out', outPath, '--json', '--data-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(lastJson(r.stdout).trajectory, trajPath);
  const bytes = readFileSync(trajPath);
  const headerLength = bytes.readUInt16LE(8);
  assert.match(bytes.toString('latin1', 10, 10 + headerLength), new RegExp(`'shape': \\(${steps + 1}, ${n}, 2\\)`));
  const body = bytes.subarray(10 + headerLength);
  const states = Float32Array.from({ length: body.length / 4 }, (_, k) => body.readFloatLE(4 * k));
  const state = (k: number) => states.subarray(k * n * 2, (k + 1) * n * 2);
  assert.deepEqual(Array.from(state(steps)), Array.from(decodeNpy(readFileSync(outPath), outPath).data));

  const s = openStore(dir);
  const w = loadRunWeights(s, run.runId);
  s.close();
  const sampler = new NetSampler(w.net, w.params, 'cpu', 1);
  const h = 1 / steps;
  let worst = 0;
  for (let k = 0; k < steps; k++) {
    const v = await sampler.velocity()(k * h, state(k), n, 2);
    for (let i = 0; i < n * 2; i++) worst = Math.max(worst, Math.abs(state(k + 1)[i] - (state(k)[i] + h * v[i])));
  }
  await sampler.release();
  assert.ok(worst < 1e-5, `an Euler step is off by ${worst}`);
  assert.ok(Math.abs(state(0)[0] - state(steps)[0]) > 1e-3, 'the first state is the starting draw, not the sample');
});
