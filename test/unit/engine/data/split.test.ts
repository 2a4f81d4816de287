import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../../src-main/errors.js';
import { DEFAULT_HELD_OUT, splitHeldOut } from '../../../../src-main/engine/data/split.js';
import type { Dataset } from '../../../../src-main/engine/data/types.js';

/** n rows of d columns; row i holds i, i + 0.5, ... so rows can be traced. */
function rows(n: number, d = 2): Dataset {
  const data = Float32Array.from({ length: n * d }, (_, k) => Math.floor(k / d) + 0.5 * (k % d));
  return { name: 'rows', data, n, d, columns: ['a', 'b'].slice(0, d), source: 'test', entropy: { value: 1, exact: true } };
}

const firstColumn = (ds: Dataset) => Array.from({ length: ds.n }, (_, i) => ds.data[i * ds.d]);

describe('train / held-out split', () => {
  test(`holds out ${DEFAULT_HELD_OUT * 100}% by default, the two parts together being every row once`, () => {
    const { train, test: held } = splitHeldOut(rows(1000), undefined, 4);
    assert.equal(held.n, 100);
    assert.equal(train.n, 900);
    assert.equal(train.data.length, 1800);
    const all = [...firstColumn(train), ...firstColumn(held)].sort((x, y) => x - y);
    assert.deepEqual(all, Array.from({ length: 1000 }, (_, i) => i));
    for (const part of [train, held]) {
      for (let i = 0; i < part.n; i++) assert.equal(part.data[2 * i + 1], part.data[2 * i] + 0.5, 'rows stay whole');
    }
    assert.deepEqual(held.entropy, { value: 1, exact: true }, 'metadata is carried');
  });

  test('the held-out rows are a pure function of the seed', () => {
    const a = firstColumn(splitHeldOut(rows(500), 0.2, 1).test);
    assert.deepEqual(firstColumn(splitHeldOut(rows(500), 0.2, 1).test), a);
    assert.notDeepEqual(firstColumn(splitHeldOut(rows(500), 0.2, 2).test), a);
  });

  test('held-out rows are spread over the whole file, not taken from one end', () => {
    const held = firstColumn(splitHeldOut(rows(10_000), 0.1, 7).test);
    const firstHalf = held.filter((v) => v < 5000).length;
    assert.ok(Math.abs(firstHalf - 500) < 100, `${firstHalf} of 1000 held-out rows in the first half`);
  });

  test('each part keeps at least one row', () => {
    assert.equal(splitHeldOut(rows(10), 0.001, 1).test.n, 1);
    assert.equal(splitHeldOut(rows(10), 0.999, 1).train.n, 1);
    const two = splitHeldOut(rows(2), 0.5, 1);
    assert.deepEqual([two.train.n, two.test.n], [1, 1]);
  });

  test('a dataset too small to split, or a fraction outside (0, 1), is a UserError', () => {
    assert.throws(() => splitHeldOut(rows(1), 0.1, 1), (e: unknown) => e instanceof UserError && /too few to split/.test(e.message));
    assert.throws(() => splitHeldOut(rows(10), 0, 1), /strictly between 0 and 1/);
    assert.throws(() => splitHeldOut(rows(10), 1, 1), /strictly between 0 and 1/);
  });
});
