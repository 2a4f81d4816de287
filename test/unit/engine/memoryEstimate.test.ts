import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMemory, evaluationMemory, mlpParameters, sampleMemory, trainingMemory } from '../../../src-main/engine/memoryEstimate.js';
import { MAX_JOB_MEMORY_BYTES } from '../../../src-main/api/limits.js';

describe('memory estimates of jobs', () => {
  test('an MLP has the parameters its layers say', () => {
    // d=2, F=0: inputs 3; 3*4+4 + (4*4+4) + 4*2+2 = 16 + 20 + 10
    assert.equal(mlpParameters({ d: 2, width: 4, depth: 2, timeFrequencies: 0 }), 46);
  });

  test('a trajectory multiplies the sample by its recorded states', () => {
    assert.equal(sampleMemory({ n: 1_000_000, d: 2, steps: 10_000, trajectory: true }).bytes, 1_000_000 * 2 * (10_001 + 6) * 4);
    assert.equal(sampleMemory({ n: 1_000_000, d: 2, steps: 10_000, trajectory: false }).bytes, 1_000_000 * 2 * 7 * 4);
  });

  test('the defaults pass; the product of allowed factors does not, and the message says how to reduce it', () => {
    checkMemory('this training', trainingMemory({ d: 2, width: 256, depth: 3, timeFrequencies: 4, batch: 1024, rows: 100_000 }), 'x');
    checkMemory('this evaluation', evaluationMemory({ n: 100_000, d: 2 }), 'x');
    const wide = trainingMemory({ d: 1_000_000, width: 256, depth: 3, timeFrequencies: 4, batch: 1024, rows: 3 });
    assert.ok(wide.bytes > MAX_JOB_MEMORY_BYTES, 'a file of 10^6 columns');
    assert.throws(() => checkMemory('this training', wide, 'use a file with fewer columns'), (e: Error) =>
      e.name === 'UserError' && /^this training would need about [\d.]+ GB \(.*1,000,000 columns of data\), more than the 4\.0 GB a job may use; use a file with fewer columns$/.test(e.message));
  });
});
