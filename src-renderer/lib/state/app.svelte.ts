/** App-wide state: the API client, the connection, the job queue, and the theme. */
import { connectApi } from '../api/client.js';
import type { ConnectionState } from '../api/transport.js';
import type { FailedJob, JobInfo } from '../../../src-main/api/schemas.js';

export const api = connectApi();

export const app = $state({
  connection: 'connecting' as ConnectionState,
  jobs: [] as JobInfo[],
  /** Trainings that failed before their run existed (the queue keeps them an hour), with why. */
  failedJobs: [] as FailedJob[],
  /** Failed jobs the user has dismissed from the runs page. */
  dismissedJobs: [] as string[],
  /** A short message shown in the status line (errors from background actions). */
  notice: '',
});

api.onState((s) => {
  app.connection = s;
  if (s === 'open') {
    void api.call('jobs.list', {}).then((jobs) => (app.jobs = jobs)).catch(() => undefined);
    void api.call('jobs.failed', {}).then((failed) => (app.failedJobs = failed)).catch(() => undefined);
  }
});

api.onEvent((e) => {
  if (e.type === 'jobs') app.jobs = e.jobs;
  if (e.type === 'jobFailed' && !app.failedJobs.some((f) => f.jobId === e.jobId)) {
    app.failedJobs = [...app.failedJobs, { jobId: e.jobId, name: e.name, reason: e.reason, at: e.at }];
  }
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
