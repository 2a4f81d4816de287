import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../../../../src-main/errors.js';
import { loadCifar } from '../../../../../src-main/engine/data/images/cifar.js';
import { readPickle } from '../../../../../src-main/engine/data/images/pickle.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-cifar-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Writes CIFAR-10-format files with numpy: data_batch_1 as Python 2's cPickle wrote the published
 * batches (byte strings as SHORT_BINSTRING/BINSTRING, protocol 2), data_batch_2 as Python 3
 * pickles the same dict at protocol 2 (bytes through _codecs.encode), test_batch at protocol 4,
 * batches.meta, and a .tar.gz of the four under cifar-10-batches-py/ as the download has them.
 * Batch b's 20 images are seeded random pixels (also saved raw as <name>.expected) and labels
 * (7 b + i) mod 10.
 */
const WRITER = String.raw`
import io, pickle, struct, sys, tarfile, numpy as np
out = sys.argv[1]

class Py2Pickler(pickle._Pickler):
    def save_bytes(self, obj):
        n = len(obj)
        self.write((pickle.SHORT_BINSTRING + bytes([n]) if n < 256 else pickle.BINSTRING + struct.pack('<i', n)) + obj)
        self.memoize(obj)
    dispatch = dict(pickle._Pickler.dispatch)
    dispatch[bytes] = save_bytes

def batch(b):
    data = np.random.default_rng(b).integers(0, 256, size=(20, 3072), dtype=np.uint8)
    open(f'{out}/batch{b}.expected', 'wb').write(data.tobytes())
    return {b'batch_label': b'batch %d' % b, b'labels': [(7 * b + i) % 10 for i in range(20)], b'data': data,
            b'filenames': [b'img_%d_%d.png' % (b, i) for i in range(20)]}

files = {}
buf = io.BytesIO(); Py2Pickler(buf, protocol=2).dump(batch(1)); files['data_batch_1'] = buf.getvalue()
files['data_batch_2'] = pickle.dumps(batch(2), protocol=2)
files['test_batch'] = pickle.dumps(batch(3), protocol=4)
names = [b'airplane', b'automobile', b'bird', b'cat', b'deer', b'dog', b'frog', b'horse', b'ship', b'truck']
buf = io.BytesIO(); Py2Pickler(buf, protocol=2).dump({b'num_cases_per_batch': 20, b'label_names': names, b'num_vis': 3072}); files['batches.meta'] = buf.getvalue()
for name, data in files.items():
    open(f'{out}/{name}', 'wb').write(data)
with tarfile.open(f'{out}/cifar-10-python.tar.gz', 'w:gz') as tar:
    for name, data in files.items():
        info = tarfile.TarInfo('cifar-10-batches-py/' + name); info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
# Not CIFAR: a pickle that would run a command, and a protocol-5 array.
open(f'{out}/evil_batch', 'wb').write(b'\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.')
open(f'{out}/p5_batch', 'wb').write(pickle.dumps(batch(4), protocol=5))
`;

const expected = (b: number) => new Uint8Array(readFileSync(join(dir, `batch${b}.expected`)));
const labelsOf = (b: number) => Array.from({ length: 20 }, (_, i) => (7 * b + i) % 10);

async function rejects(fn: () => unknown, ...patterns: RegExp[]): Promise<void> {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe("CIFAR-10's python batches", () => {
  before(() => {
    const numpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (numpy.status !== 0) {
      throw new Error(`these tests write CIFAR files with python3 and numpy, which is not available (${(numpy.stderr || String(numpy.error)).trim().split('\n').pop()}); install it: python3 -m pip install numpy`);
    }
    const r = spawnSync('python3', ['-c', WRITER, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  test('a loose batch as Python 2 wrote the published files: [20, 3, 32, 32] with labels', () => {
    const ds = loadCifar(join(dir, 'data_batch_1'));
    assert.deepEqual([ds.n, ds.c, ds.h, ds.w], [20, 3, 32, 32]);
    assert.deepEqual(ds.pixels, expected(1));
    assert.deepEqual(Array.from(ds.labels ?? []), labelsOf(1));
    assert.equal(ds.name, 'data_batch_1');
  });

  test('batches Python 3 pickles at protocols 2 and 4 read the same way', () => {
    assert.deepEqual(loadCifar(join(dir, 'data_batch_2')).pixels, expected(2));
    const t = loadCifar(join(dir, 'test_batch'));
    assert.deepEqual(t.pixels, expected(3));
    assert.deepEqual(Array.from(t.labels ?? []), labelsOf(3));
  });

  test('the .tar.gz: training batches in order by default, test_batch on request, class names from batches.meta', () => {
    const archive = join(dir, 'cifar-10-python.tar.gz');
    const train = loadCifar(archive);
    assert.equal(train.n, 40);
    assert.deepEqual(train.pixels.subarray(0, 20 * 3072), expected(1));
    assert.deepEqual(train.pixels.subarray(20 * 3072), expected(2));
    assert.deepEqual(Array.from(train.labels ?? []), [...labelsOf(1), ...labelsOf(2)]);
    assert.equal(train.classNames?.[3], 'cat');
    assert.equal(loadCifar(archive, { part: 'test' }).n, 20);
    assert.equal(loadCifar(archive, { part: 'all' }).n, 60);
  });

  test('pickles that call other Python objects, protocol 5, damaged or missing files are refused, naming the file', async () => {
    await rejects(() => loadCifar(join(dir, 'evil_batch')), /evil_batch: it refers to the Python object 'os\.system', which FlowLab does not load/);
    await rejects(() => loadCifar(join(dir, 'p5_batch')), /p5_batch: pickle protocol 5/);
    const cut = join(dir, 'cut_batch');
    writeFileSync(cut, readFileSync(join(dir, 'data_batch_1')).subarray(0, 5000));
    await rejects(() => loadCifar(cut), /cut_batch: the pickle is cut short/);
    await rejects(() => loadCifar(join(dir, 'missing_batch')), /missing_batch: file not found/);
    const notTar = join(dir, 'fake.tar.gz');
    writeFileSync(notTar, 'x'.repeat(2000));
    await rejects(() => loadCifar(notTar), /fake\.tar\.gz: not a tar archive/);
    await rejects(() => loadCifar(join(dir, 'cifar-10-python.tar.gz'), { maxBytes: 1e5 }), /40 images of 3 x 32 x 32 need about/);
  });

  test('the pickle reader gives plain data and executes nothing', () => {
    const meta = readPickle(readFileSync(join(dir, 'batches.meta')), 'batches.meta');
    assert.ok(meta instanceof Map);
    assert.equal(meta.get('num_cases_per_batch'), 20);
  });
});
