/**
 * The desktop app's main process: one window loading app://flowlab/, the API served over IPC
 * (every message validated against the contract), trainings and sampling in utilityProcess
 * engines, the store in the user's data folder (`--data-dir DIR` overrides).
 */
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { METHOD_NAMES } from '../api/contract.js';
import { validateEvent } from '../api/validate.js';
import type { ApiEvent } from '../api/events.js';
import { createApp } from '../service/createApp.js';
import { appRoot } from '../service/appRoot.js';
import { registerAppScheme, serveAppProtocol } from './appProtocol.js';
import { startUtilityEngine } from './engineProcess.js';
import { APP_ORIGIN, IPC_CALL, IPC_EVENT, IPC_METHODS } from './ipcChannels.js';
import { denyPermissions, fromAppFrame, lockNavigation, secureWebPreferences } from './security.js';

registerAppScheme();

/** `--data-dir DIR` on the command line, else Electron's per-user folder. */
function dataDirFromArgs(): string {
  const inline = process.argv.find((a) => a.startsWith('--data-dir='));
  if (inline) return inline.slice('--data-dir='.length);
  const i = process.argv.indexOf('--data-dir');
  if (i >= 0 && process.argv[i + 1]) return process.argv[i + 1];
  return join(app.getPath('userData'), 'data');
}

async function start(): Promise<void> {
  const root = appRoot();
  const dataDir = dataDirFromArgs();
  let window: BrowserWindow | null = null;

  const sendEvent = (event: ApiEvent) => {
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT, validateEvent(event));
  };
  const flowlab = createApp({
    dataDir,
    door: 'electron',
    startEngine: () => startUtilityEngine(dataDir),
    onEvent: sendEvent,
    chooseExportPath: async (suggested) => {
      const options = { defaultPath: join(app.getPath('documents'), suggested) };
      const r = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    // The only way a desktop page reads a file of the user's: one the user picked here.
    chooseDataFile: async () => {
      const options = { properties: ['openFile' as const], filters: [{ name: 'Data (CSV or NumPy)', extensions: ['csv', 'npy'] }] };
      const r = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
    log: (line) => console.error(line),
  });
  const dispatch = flowlab.dispatch;

  ipcMain.on(IPC_METHODS, (event) => {
    event.returnValue = fromAppFrame(event) ? METHOD_NAMES : [];
  });
  ipcMain.handle(IPC_CALL, (event, method: unknown, args: unknown) => {
    if (!fromAppFrame(event)) return { ok: false, error: { kind: 'invalid', message: 'calls are accepted from FlowLab pages only' } };
    return dispatch(method, args);
  });

  denyPermissions(session.defaultSession);
  serveAppProtocol(join(root, 'dist-renderer'));

  window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'FlowLab',
    backgroundColor: '#12151a',
    webPreferences: secureWebPreferences(join(root, 'dist', 'electron', 'preload.cjs')),
  });
  lockNavigation(window.webContents);
  window.on('closed', () => (window = null));
  await window.loadURL(`${APP_ORIGIN}/index.html`);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void flowlab.close().finally(() => app.quit());
  });
}

app.on('web-contents-created', (_event, contents) => lockNavigation(contents));
app.on('window-all-closed', () => app.quit());
app.whenReady().then(start).catch((err: unknown) => {
  dialog.showErrorBox('FlowLab could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
