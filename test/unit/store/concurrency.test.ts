import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { openStore } from '../../../src-main/store/index.js';
import { CHUNK, CHUNKS } from './fixtures/trainingWriter.js';
import { race } from './race.js';
import { tempDir } from './tempStore.js';

const WRITER = fileURLToPath(new URL('./fixtures/trainingWriter.ts', import.meta.url));
const PAIRS = Number(process.env.FLOWLAB_RACE_PAIRS ?? 20);

describe('two writer processes on one data folder', () => {
  test(`${PAIRS} pairs of simultaneous trainings all complete, none "database is locked"`, async () => {
    const failures: string[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      // A fresh folder each time: both sides also race to create and migrate the database.
      const dir = tempDir();
      const results = await race(WRITER, [[dir], [dir]]);
      for (const r of results) {
        if (r.code !== 0) failures.push(`pair ${pair}: exit ${r.code}: ${r.stdout.trim()} ${r.stderr.trim()}`);
      }
      if (results.every((r) => r.code === 0)) {
        const store = openStore(dir);
        try {
          const runs = store.listRuns();
          assert.equal(runs.length, 2);
          for (const run of runs) {
            assert.equal(run.status, 'completed');
            assert.equal(run.stepsDone, CHUNKS * CHUNK);
            assert.equal(store.metricsSeries(run.id, 'loss').steps.length, CHUNKS * CHUNK);
          }
        } finally {
          store.close();
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${PAIRS * 2} writers failed`);
  });
});
