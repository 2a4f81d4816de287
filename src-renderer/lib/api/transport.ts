/** How the renderer reaches the API: WebSocket in a browser, IPC inside the desktop app. */
import type { ApiErrorBody } from '../../../src-main/api/contract.js';
import type { ApiEvent } from '../../../src-main/api/events.js';

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/**
 * 'unauthorized': the server answers but refuses this page's token (a bare URL, or a tab opened
 * before the server restarted with a new one); retrying cannot help, a new URL can.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized';

export interface Transport {
  call(method: string, args: unknown): Promise<CallOutcome>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
}

/** What the desktop app's preload script exposes on `window.flowlab`. */
export interface PreloadBridge {
  api: Record<string, (args: unknown) => Promise<CallOutcome>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}
