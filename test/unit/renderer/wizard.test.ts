import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_INTERPOLANT, defaultConfig, defaultMlpConfig, IMAGE_INTERPOLANT, IMAGE_TRAIN_DEFAULTS, INTERPOLANTS } from '../../../src-main/api/config.js';
import { chooseDataset } from '../../../src-renderer/lib/wizard/imagePresets.js';
import { coefficientsAt, getInterpolant } from '../../../src-main/engine/interpolants/schedules.js';
import { checkConfig, checkStep, stepOfField } from '../../../src-renderer/lib/wizard/configFields.js';
import { PRESETS } from '../../../src-renderer/lib/wizard/presets.js';
import { LAST_CONFIG_KEY, loadLastConfig, saveLastConfig, type KeyValueStore } from '../../../src-renderer/lib/wizard/remember.js';
import { curveAt } from '../../../src-renderer/lib/wizard/interpolantCurves.js';
import { learnedInterpolant } from '../../../src-main/engine/interpolants/learned.js';

function memoryStorage(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

describe('wizard validation messages land at their field', () => {
  test('a valid default config has no problem', () => {
    assert.equal(checkConfig(defaultConfig('moons', 0)), null);
  });

  test('zero steps is reported at train.steps, on the Training step', () => {
    const c = defaultConfig('moons', 0);
    c.train.steps = 0;
    const p = checkConfig(c);
    assert.equal(p?.field, 'train.steps');
    assert.equal(p!.message, 'train.steps must be a whole number from 1 to 100000000, got 0');
    assert.equal(stepOfField(p!.field!), 'Training');
  });

  test('each validator message names its field', () => {
    const cases: [(c: ReturnType<typeof defaultMlpConfig>) => void, string][] = [
      [(c) => (c.net.width = -1), 'net.width'],
      [(c) => (c.net.depth = 1.5), 'net.depth'],
      [(c) => (c.train.lr = 0), 'train.lr'],
      [(c) => (c.train.batch = Number.NaN), 'train.batch'],
      [(c) => (c.heldOut = 0.9), 'heldOut'],
      [(c) => (c.train.beta2 = 1), 'train.beta2'],
      [(c) => (c.train.timeSampling = 'early' as never), 'train.timeSampling'],
      [(c) => (c.train.lrFloor = 1.5), 'train.lrFloor'],
      [(c) => (c.train.lrFloor = null as never), 'train.lrFloor'],
      [(c) => (c.interpolant = 'zigzag' as never), 'interpolant'],
      [(c) => (c.dataset = ''), 'dataset'],
      [(c) => (c.train.seed = -3), 'train.seed'],
      [(c) => (c.threads = 1000), 'threads'],
    ];
    for (const [edit, field] of cases) {
      const c = defaultMlpConfig('moons', 0);
      edit(c);
      assert.equal(checkConfig(c)?.field, field, field);
    }
  });

  test('an empty number box (null from the input) is caught, not passed on', () => {
    const c = defaultConfig('moons', 0);
    (c.train as { steps: unknown }).steps = null;
    assert.equal(checkConfig(c)?.field, 'train.steps');
  });

  test('a warmup longer than the run is accepted, as by the API and the CLI (training uses at most a fifth of the steps)', () => {
    const c = defaultConfig('moons', 0);
    c.train.steps = 100;
    c.train.warmupSteps = 100;
    assert.equal(checkConfig(c), null);
  });

  test('a step is blocked only by problems of its own fields', () => {
    const c = defaultConfig('moons', 0);
    c.train.lr = -1;
    assert.equal(checkStep(c, 'Data'), null);
    assert.equal(checkStep(c, 'Training')?.field, 'train.lr');
  });

  test('a malformed Gaussian spec and a base of another dimension stop the Data step at their fields', () => {
    const c = defaultConfig('gaussian:1,2:1,3,3,1', 0);
    assert.deepEqual(checkStep(c, 'Data'), { field: 'dataset', message: "dataset is not a valid Gaussian: 'gaussian:1,2:1,3,3,1': covariance is not positive definite (pivot 2 of 2 is -8); give a symmetric matrix with positive eigenvalues" });
    c.dataset = 'gaussian:1,2';
    c.base = 'gaussian:0,0,0';
    assert.equal(checkStep(c, 'Data')?.field, 'base');
    assert.match(checkStep(c, 'Data')!.message, /base must have the dataset's dimension: 'gaussian:0,0,0' is 3-D but 'gaussian:1,2' is 2-D/);
    c.base = 'moons';
    assert.equal(checkConfig(c), null);
  });
});

describe('presets and remembered settings', () => {
  test('every preset is a valid experiment', () => {
    for (const p of PRESETS) assert.equal(checkConfig(p.config), null, p.title);
    assert.ok(PRESETS.some((p) => p.title === 'Checkerboard in 2 minutes'));
  });

  test('the last config started comes back, merged over current defaults, without its run name', () => {
    const storage = memoryStorage();
    const c = defaultMlpConfig('spirals', 4);
    c.net.width = 77;
    c.name = 'mine';
    saveLastConfig(storage, c);
    const back = loadLastConfig(storage);
    assert.equal(back.dataset, 'spirals');
    assert.equal(back.net.kind === 'mlp' && back.net.width, 77);
    assert.equal(back.name, undefined, 'a name belongs to one run');
    assert.equal(back.train.seed, 4);
  });

  test('garbage or an old shape in storage falls back to the defaults', () => {
    const storage = memoryStorage();
    storage.setItem(LAST_CONFIG_KEY, '{not json');
    assert.equal(loadLastConfig(storage).dataset, 'checkerboard');
    storage.setItem(LAST_CONFIG_KEY, JSON.stringify({ dataset: 5, net: { width: 'wide' }, extra: 1 }));
    const c = loadLastConfig(storage);
    assert.equal(c.dataset, 'checkerboard');
    assert.equal(c.net.kind === 'mlp' && c.net.width, defaultMlpConfig('x', 0).net.width);
    assert.ok(!('extra' in c));
  });
});

describe('interpolant plot curves', () => {
  test('match the engine\'s coefficients for every family', () => {
    for (const name of INTERPOLANTS) {
      const it = getInterpolant(name);
      for (const t of [0, 0.1, 0.37, 0.5, 0.8, 1]) {
        const tt = Math.min(t, it.tMax);
        const e = coefficientsAt(it, tt);
        const r = curveAt(name, tt);
        assert.ok(Math.abs(e.a - r.a) < 1e-9, `${name} a(${tt})`);
        assert.ok(Math.abs(e.b - r.b) < 1e-9, `${name} b(${tt})`);
        assert.ok(Math.abs((e.gamma ?? 0) - r.gamma) < 1e-9, `${name} gamma(${tt})`);
      }
    }
  });

  test('match a learned interpolant\'s coefficients as a run recorded them', () => {
    const learned = { alpha: [0.1, -0.05, 0.02, 0.3], beta: [-0.2, 0.07, 0, 0.01] };
    const it = learnedInterpolant(learned);
    for (const t of [0, 0.2, 0.5, 0.77, 1]) {
      const e = coefficientsAt(it, t);
      const r = curveAt('learned', t, learned);
      assert.ok(Math.abs(e.a - r.a) < 1e-12 && Math.abs(e.b - r.b) < 1e-12, `learned at ${t}`);
    }
  });
});

describe('choosing image or point data in the wizard', () => {
  test('MNIST brings the U-Net, the image interpolant and training; a toy brings the MLP and trig back; the seed stays', () => {
    const c = defaultConfig('moons', 42);
    chooseDataset(c, 'mnist', true);
    assert.deepEqual([c.net.kind, c.interpolant, c.train.steps, c.train.timeSampling, c.train.seed], ['unet', IMAGE_INTERPOLANT, IMAGE_TRAIN_DEFAULTS.steps, 'uniform', 42]);
    assert.deepEqual(c, { ...defaultConfig('mnist', 42), base: 'gaussian' }, 'the same experiment as the CLI\'s `train --dataset mnist`');
    chooseDataset(c, 'checkerboard', false);
    assert.deepEqual([c.net.kind, c.interpolant, c.train.timeSampling, c.train.seed], ['mlp', DEFAULT_INTERPOLANT, 'late', 42]);
    // the same kind of data again keeps what the user set
    c.interpolant = 'vp';
    chooseDataset(c, 'moons', false);
    assert.equal(c.interpolant, 'vp');
  });
});
