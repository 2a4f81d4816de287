/**
 * The application behind the Electron and server doors, assembled once: the store in the data
 * folder, the jobs queue over engine processes (a run whose engine died is marked interrupted),
 * the handlers of every API method, and the dispatch that checks each call against the contract.
 * A door supplies only what is its own: how to start an engine process, where events go, and
 * (Electron) how to ask where an export is saved.
 */
import { createDispatch, type Dispatch } from '../api/dispatch.js';
import type { ApiEvent } from '../api/events.js';
import type { Handlers } from '../api/implementation.js';
import { openStore, type Store } from '../store/index.js';
import { createHandlers, type HandlerContext } from './handlers.js';
import { JobQueue, type StartEngine } from './jobs.js';

export interface AppOptions {
  dataDir: string;
  door: HandlerContext['door'];
  startEngine: StartEngine;
  /** Every event for the door's clients (already in the contract's shape). */
  onEvent: (event: ApiEvent) => void;
  chooseExportPath?: HandlerContext['chooseExportPath'];
  chooseDataFile?: HandlerContext['chooseDataFile'];
  /** Where internal errors are reported. */
  log: (line: string) => void;
}

export interface App {
  store: Store;
  queue: JobQueue;
  handlers: Handlers;
  dispatch: Dispatch;
  /** Stops every job (trainings resumably), ends the engine processes, closes the store. */
  close(): Promise<void>;
}

export function createApp(o: AppOptions): App {
  const store = openStore(o.dataDir);
  store.watchOrphans(); // runs left by an engine or CLI that died become interrupted while the app runs
  const queue = new JobQueue({
    startEngine: o.startEngine,
    onEvent: o.onEvent,
    onRunLost: (runId, reason) => {
      try {
        const run = store.findRun(runId);
        if (run && (run.status === 'running' || run.status === 'paused')) store.finishRun(runId, 'interrupted', reason);
      } catch (err) {
        o.log(`could not mark run ${runId} interrupted: ${(err as Error).message}`);
      }
    },
  });
  const handlers = createHandlers({
    store, queue, dataDir: o.dataDir, door: o.door, chooseExportPath: o.chooseExportPath, chooseDataFile: o.chooseDataFile,
  });
  const dispatch = createDispatch(handlers, (method, err) => o.log(`error in ${method}: ${(err as Error)?.stack ?? err}`));
  return {
    store,
    queue,
    handlers,
    dispatch,
    async close() {
      await queue.close();
      store.close();
    },
  };
}
