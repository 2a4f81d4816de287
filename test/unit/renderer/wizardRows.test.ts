import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../src-main/api/config.js';
import { splitHeldOut } from '../../../src-main/engine/data/split.js';
import { checkBatchRows, checkConfig, checkStep, trainingRows } from '../../../src-renderer/lib/wizard/configFields.js';
import { PRESETS } from '../../../src-renderer/lib/wizard/presets.js';
import { suggestedRunName } from '../../../src-renderer/lib/wizard/runName.js';
import { loadLastConfig, saveLastConfig, type KeyValueStore } from '../../../src-renderer/lib/wizard/remember.js';

function memoryStorage(): KeyValueStore {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

describe('the wizard checks the batch against an imported file\'s rows', () => {
  test('the training rows are the ones the engine keeps after its held-out split', () => {
    for (const [n, heldOut] of [[1000, 0.1], [2, 0.1], [7, 0.5], [1001, 0.25], [50, 0.01]] as const) {
      const split = splitHeldOut({ name: 'f', n, d: 1, data: new Float32Array(n) } as never, heldOut, 0);
      assert.equal(trainingRows(n, heldOut), split.train.n, `n=${n} heldOut=${heldOut}`);
    }
  });

  test('batch 1024 on a 1,000-row file (900 training rows) is refused at train.batch with what to use', () => {
    const c = defaultConfig('/data/imports/mine.csv', 0);
    c.train.batch = 1024;
    const p = checkBatchRows(c, { path: c.dataset, n: 1000 });
    assert.equal(p?.field, 'train.batch');
    assert.equal(p!.message, 'train.batch 1024 is larger than the 900 training rows of the imported file (1000 rows, 10% held out); use 900 or less');
    c.train.batch = 900;
    assert.equal(checkBatchRows(c, { path: c.dataset, n: 1000 }), null);
  });

  test('another target, or no import, is not checked against the file', () => {
    const c = defaultConfig('moons', 0);
    c.train.batch = 1024;
    assert.equal(checkBatchRows(c, { path: '/data/imports/mine.csv', n: 10 }), null);
    assert.equal(checkBatchRows(c, null), null);
  });
});

describe('wizard messages for empty boxes', () => {
  test('an empty number box says it is empty, not "got null"', () => {
    const c = defaultConfig('moons', 0);
    (c.train as { batch: unknown }).batch = null;
    const p = checkStep(c, 'Training');
    assert.equal(p?.field, 'train.batch');
    assert.match(p!.message, /^train\.batch is empty; it must be a whole number from 1 to \d+$/);
    assert.doesNotMatch(checkConfig(c)!.message, /null/);
  });
});

describe('the suggested run name follows the choices', () => {
  const quick = PRESETS.find((p) => p.id === 'checkerboard-2min')!;
  const presetName = { name: quick.config.name!, dataset: quick.config.dataset, interpolant: quick.config.interpolant };

  test('a preset names the run while its data and interpolant are chosen', () => {
    assert.equal(suggestedRunName(quick.config, presetName), 'Checkerboard (quick)');
  });

  test('other data (an import or another toy) or another interpolant gives a name that says so', () => {
    assert.equal(suggestedRunName({ ...quick.config, dataset: '/home/me/.flowlab/imports/circle.csv' }, presetName), 'circle.csv · ' + quick.config.interpolant);
    assert.equal(suggestedRunName({ ...quick.config, dataset: 'moons' }, presetName), `moons · ${quick.config.interpolant}`);
    assert.equal(suggestedRunName({ ...quick.config, interpolant: 'linear' }, presetName), 'checkerboard · linear');
  });

  test('consecutive runs do not share a remembered name', () => {
    const storage = memoryStorage();
    saveLastConfig(storage, { ...quick.config, name: 'first run' });
    assert.equal(loadLastConfig(storage).name, undefined);
  });
});
