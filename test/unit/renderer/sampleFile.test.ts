import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeNpy } from '../../../src-main/engine/data/npyWrite.js';
import { samplesCsv, samplesNpy } from '../../../src-renderer/lib/sampleFile.js';

describe('the export panel\'s files', () => {
  const x = Float32Array.from([0.1, -2.5, 3e-7, 1234.5678, Math.PI, 0]);

  test('NPY bytes equal the engine\'s (numpy.save) byte for byte', () => {
    assert.deepEqual(Buffer.from(samplesNpy(x, 3, 2)), encodeNpy(x, 3, 2));
    const big = new Float32Array(2 * 12345).map((_, i) => i / 7);
    assert.deepEqual(Buffer.from(samplesNpy(big, 12345, 2)), encodeNpy(big, 12345, 2));
  });

  test('CSV has a header and one row per point whose values read back as the same float32', () => {
    const lines = new TextDecoder().decode(samplesCsv(x, 3, 2)).trim().split('\n');
    assert.equal(lines[0], 'x1,x2');
    assert.equal(lines.length, 4);
    const back = lines.slice(1).flatMap((l) => l.split(',').map(Number));
    assert.deepEqual(Float32Array.from(back), x);
  });
});
