import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../../../src-main/errors.js';
import { parseCsv, readCsv } from '../../../../src-main/engine/data/csvRead.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlab-csv-'));

function csvFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Asserts that parsing `text` throws a UserError whose message matches every pattern. */
function rejects(text: string, ...patterns: RegExp[]): void {
  assert.throws(() => parseCsv(text, 'points.csv'), (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.ok(!e.message.includes('\n'), 'the message is one line');
    assert.ok(e.message.startsWith('points.csv: '), `message names the file: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe('CSV import', () => {
  test('a first row with text is a header; blank trailing lines are ignored', () => {
    const t = readCsv(csvFile('header.csv', 'x,y\n1,2\n3.5,-4e-2\n\n\n'));
    assert.deepEqual(t.columns, ['x', 'y']);
    assert.equal(t.n, 2);
    assert.equal(t.d, 2);
    assert.deepEqual([...t.data], [1, 2, 3.5, Math.fround(-0.04)]);
    assert.equal(t.source, join(dir, 'header.csv'));
  });

  test('an all-numeric first row is data, and columns are named x1..xd', () => {
    const t = parseCsv('1,2,3\n4,5,6\n', 'p.csv');
    assert.deepEqual(t.columns, ['x1', 'x2', 'x3']);
    assert.equal(t.n, 2);
    assert.deepEqual([...t.data], [1, 2, 3, 4, 5, 6]);
  });

  test('semicolon separators are detected, with decimal commas', () => {
    const t = parseCsv('a;b\n1,5;2\n-3;4,25\n', 'p.csv');
    assert.deepEqual(t.columns, ['a', 'b']);
    assert.deepEqual([...t.data], [1.5, 2, -3, 4.25]);
  });

  test('tab separators, CRLF line ends, a byte-order mark and quoted headers are read', () => {
    const t = parseCsv('\ufeff"first x"\t"y"\r\n0.25\t1\r\n2\t3\r\n', 'p.csv');
    assert.deepEqual(t.columns, ['first x', 'y']);
    assert.deepEqual([...t.data], [0.25, 1, 2, 3]);
  });

  test('a single column is a 1-D dataset', () => {
    const t = parseCsv('value\n1\n2\n3\n', 'p.csv');
    assert.equal(t.d, 1);
    assert.deepEqual([...t.data], [1, 2, 3]);
  });

  test('a column of labels is left out and reported', () => {
    const t = parseCsv('species,length,width\nsetosa,1.5,0.2\nvirginica,6,2.5\n', 'p.csv');
    assert.deepEqual(t.columns, ['length', 'width']);
    assert.deepEqual(t.droppedColumns, ['species']);
    assert.deepEqual([...t.data], [1.5, Math.fround(0.2), 6, 2.5]);
  });

  test('blank lines between rows are skipped, but line numbers in errors count them', () => {
    assert.equal(parseCsv('x,y\n1,2\n\n3,4\n', 'p.csv').n, 2);
    rejects('x,y\n1,2\n\n3,oops\n', /line 4, column 2/);
  });
});

describe('CSV import refuses bad input with the line, column and fix', () => {
  test('a text cell in a column of numbers', () => rejects('x,y\n1,2\n3,abc\n5,6\n', /line 3, column 2/, /'abc'/, /text in a column of numbers/));
  test('NaN', () => rejects('x,y\n1,2\n3,NaN\n', /line 3, column 2/, /NaN\/Inf/));
  test('Infinity', () => rejects('x,y\n-inf,2\n3,4\n', /line 2, column 1/, /not a finite number/));
  test('a value beyond float32', () => rejects('x,y\n1e39,2\n3,4\n', /line 2, column 1/, /too large for float32/));
  test('an empty cell', () => rejects('1,2\n,4\n', /line 2, column 1 is empty/, /fill in the missing value/));
  test('ragged rows', () => rejects('x,y\n1,2\n3,4,5\n', /line 3 has 3 cells but line 1 has 2/, /same number of columns/));
  test('a single row', () => rejects('x,y\n1,2\n', /single row/, /at least 2 rows/));
  test('a header and no rows', () => rejects('x,y\n\n', /no data rows/));
  test('an empty file', () => {
    rejects('', /file is empty/);
    rejects('\n \n\r\n', /file is empty/);
  });
  test('no numeric columns', () => rejects('name,city\nann,paris\nbob,rome\n', /no numeric columns/, /name, city/));
  test('a missing file', () => {
    assert.throws(() => readCsv(join(dir, 'missing.csv')), (e: unknown) => e instanceof UserError && /file not found/.test(e.message));
  });
});

test('more rows than the limit (lowered here from MAX_ROWS for the test) are refused', () => {
  assert.throws(() => parseCsv('1\n2\n3\n4\n', 'points.csv', { maxRows: 3 }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /4 rows is more than the limit of 3 \(MAX_ROWS\); keep a random subset/);
    return true;
  });
});
