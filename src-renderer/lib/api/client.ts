/**
 * The renderer's one API client, typed by the contract: `await api.call('runs.list', {})`.
 * A failed call throws ApiCallError carrying the server's one-line message for the UI.
 */
import type { ArgsOf, MethodName, ResultOf } from '../../../src-main/api/contract.js';
import type { ApiEvent } from '../../../src-main/api/events.js';
import type { ConnectionState, PreloadBridge, Transport } from './transport.js';
import { apiUrlFromLocation, tokenCheckUrlFromLocation, wsTransport } from './wsTransport.js';
import { ipcTransport } from './ipcTransport.js';

export class ApiCallError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export class ApiClient {
  constructor(private readonly transport: Transport) {}

  async call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
    const outcome = await this.transport.call(method, args);
    if (!outcome.ok) throw new ApiCallError(outcome.error.kind, outcome.error.message);
    return outcome.result as ResultOf<M>;
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    return this.transport.onEvent(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    return this.transport.onState(listener);
  }
}

/** IPC when the preload bridge is present (desktop app), otherwise the WebSocket of this page. */
export function connectApi(): ApiClient {
  const bridge = (globalThis as { flowlab?: PreloadBridge }).flowlab;
  return new ApiClient(bridge ? ipcTransport(bridge) : wsTransport(apiUrlFromLocation(location), tokenCheckUrlFromLocation(location)));
}

/** An error's message for display. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
