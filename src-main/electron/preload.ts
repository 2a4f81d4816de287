/**
 * The renderer's only door to the app: one function per API method on `window.flowlab.api`,
 * plus `onEvent`. Runs sandboxed with context isolation; it exposes no Electron or Node object,
 * only these functions. The method list comes from the main process (the contract), so the
 * preload never drifts from it; every call is validated again in main.
 *
 * Built to CommonJS (sandboxed preloads cannot be ES modules): see vite.preload.config.ts.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, IPC_METHODS } from './ipcChannels.js';

const methods = ipcRenderer.sendSync(IPC_METHODS) as string[];

const api: Record<string, (args: unknown) => Promise<unknown>> = {};
for (const method of methods) {
  api[method] = (args: unknown) => ipcRenderer.invoke(IPC_CALL, method, args);
}

contextBridge.exposeInMainWorld('flowlab', {
  api,
  onEvent(listener: (event: unknown) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
});
