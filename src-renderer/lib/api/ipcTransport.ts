/** The desktop app's line to the API: the functions the preload script put on window.flowlab. */
import type { PreloadBridge, Transport } from './transport.js';

export function ipcTransport(bridge: PreloadBridge): Transport {
  return {
    call(method, args) {
      const fn = bridge.api[method];
      if (!fn) return Promise.resolve({ ok: false, error: { kind: 'invalid', message: `unknown method '${method}'` } });
      return fn(args);
    },
    onEvent: (listener) => bridge.onEvent(listener),
    onState(listener) {
      listener('open');
      return () => undefined;
    },
  };
}
