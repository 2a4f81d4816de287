/** App-wide state: the API client, the connection, the job queue, and the theme. */
import { connectApi } from '../api/client.js';
import type { ConnectionState } from '../api/transport.js';
import type { JobInfo } from '../../../src-main/api/schemas.js';

export const api = connectApi();

export const app = $state({
  connection: 'connecting' as ConnectionState,
  jobs: [] as JobInfo[],
  /** A short message shown in the status line (errors from background actions). */
  notice: '',
});

api.onState((s) => {
  app.connection = s;
  if (s === 'open') void api.call('jobs.list', {}).then((jobs) => (app.jobs = jobs)).catch(() => undefined);
});

api.onEvent((e) => {
  if (e.type === 'jobs') app.jobs = e.jobs;
});

export type Theme = 'system' | 'light' | 'dark';
const THEME_KEY = 'flowlab.theme';

function readTheme(): Theme {
  const t = globalThis.localStorage?.getItem(THEME_KEY);
  return t === 'light' || t === 'dark' ? t : 'system';
}

export const theme = $state({ value: readTheme() });

export function setTheme(t: Theme): void {
  theme.value = t;
  localStorage.setItem(THEME_KEY, t);
  applyTheme();
}

export function applyTheme(): void {
  const dark = theme.value === 'dark' || (theme.value === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}
