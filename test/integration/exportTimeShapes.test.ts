/**
 * The exported velocity accepts t as [N, 1], [N] or a scalar, in Python onnxruntime as users
 * (torchcfm among them) call it: each gives the same v as a [N, 1] column of the same times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src-main/api/config.js';
import { openStore } from '../../src-main/store/index.js';
import { trainRun } from '../../src-main/service/train.js';
import { cli } from '../helpers/cli.js';

const python = spawnSync('python3', ['-c', 'import numpy, onnxruntime'], { encoding: 'utf8' });
const skip = python.status === 0 ? false : `needs Python 3 with numpy and onnxruntime (${python.stderr.trim().split('\n').at(-1) ?? 'python3 not found'})`;

test('the exported ONNX takes t as [N, 1], [N] or a scalar and gives the same velocity', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlab-export-t-'));
  const store = openStore(dir);
  const config = defaultConfig('moons', 5);
  config.net = { kind: 'mlp', width: 16, depth: 2, activation: 'silu', timeFrequencies: 2 };
  Object.assign(config.train, { steps: 30, batch: 64, warmupSteps: 0 });
  const runId = (await trainRun({ store, config })).runId;
  store.close();
  const onnxPath = join(dir, 'v.onnx');
  const exported = cli(['export', '--run', runId, '--format', 'onnx', '--out', onnxPath, '--data-dir', dir]);
  assert.equal(exported.code, 0, exported.stderr);
  const script = `
import json, sys, numpy as np, onnxruntime as ort
s = ort.InferenceSession(sys.argv[1])
rng = np.random.default_rng(3)
x = rng.standard_normal((17, 2)).astype(np.float32)
ts = rng.uniform(size=17).astype(np.float32)
column = s.run(['v'], {'x': x, 't': ts.reshape(-1, 1)})[0]
vector = s.run(['v'], {'x': x, 't': ts})[0]
scalar = s.run(['v'], {'x': x, 't': np.array(0.3, np.float32)})[0]
scalar_ref = s.run(['v'], {'x': x, 't': np.full((17, 1), 0.3, np.float32)})[0]
print(json.dumps({'shapes': [list(column.shape), list(vector.shape), list(scalar.shape)],
  'vector': float(np.abs(vector - column).max()), 'scalar': float(np.abs(scalar - scalar_ref).max()),
  'varies': float(np.abs(column - scalar_ref).max())}))
`;
  const py = spawnSync('python3', ['-c', script, onnxPath], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const r = JSON.parse(py.stdout);
  assert.deepEqual(r.shapes, [[17, 2], [17, 2], [17, 2]]);
  assert.equal(r.vector, 0, 't as [N] is the same column');
  assert.equal(r.scalar, 0, 'a scalar t is every row\'s time');
  assert.ok(r.varies > 1e-4, 'the check has teeth: a different t gives a different v');
});

