/**
 * Engine process entry. Receives jobs from its parent one at a time, runs them against its own
 * connection to the store, and streams each job's events (batched to ~10/s) and its result.
 *
 *   started by: server (child_process.fork), Electron main (utilityProcess.fork)
 *   environment: FLOWLAB_DATA_DIR = the data folder holding the store
 */
import { openStore } from '../store/index.js';
import { errorBody } from '../api/validate.js';
import { DATA_DIR_ENV, type ToEngine } from '../api/protocol.js';
import { EventBatcher } from './batcher.js';
import { parentChannel } from './channel.js';
import { JobControl, runJob } from './runJob.js';

const dataDir = process.env[DATA_DIR_ENV];
if (!dataDir) throw new Error(`${DATA_DIR_ENV} is not set; the engine process needs the data folder`);

const store = openStore(dataDir);
const channel = parentChannel();
const controls = new Map<string, JobControl>();
const running = new Set<Promise<void>>();

/** How long a shutdown waits for stopped jobs to record their state before exiting (ms). */
const SHUTDOWN_GRACE_MS = 5000;

async function handleJob(jobId: string, message: Extract<ToEngine, { type: 'job' }>): Promise<void> {
  const control = new JobControl();
  controls.set(jobId, control);
  const batcher = new EventBatcher((event) => channel.send({ type: 'event', jobId, event }));
  try {
    const result = await runJob(store, message.request, control, (e) => batcher.push(e));
    batcher.close();
    channel.send({ type: 'result', jobId, result });
  } catch (err) {
    batcher.close();
    channel.send({ type: 'error', jobId, error: errorBody(err) });
  } finally {
    controls.delete(jobId);
  }
}

channel.onMessage((message) => {
  switch (message.type) {
    case 'job': {
      const job = handleJob(message.jobId, message);
      running.add(job);
      void job.finally(() => running.delete(job));
      return;
    }
    case 'control':
      controls.get(message.jobId)?.apply(message.action);
      return;
    case 'shutdown':
      void shutdown();
  }
});

async function shutdown(): Promise<void> {
  for (const c of controls.values()) c.apply('stop');
  const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  await Promise.race([Promise.allSettled([...running]), grace]);
  store.close();
  process.exit(0);
}

channel.send({ type: 'ready', pid: process.pid });
