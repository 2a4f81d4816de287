/** The current route, kept in step with location.hash. */
import { parseHash } from '../route.js';

export const route = $state({ current: parseHash(globalThis.location?.hash ?? '') });

globalThis.addEventListener?.('hashchange', () => {
  route.current = parseHash(location.hash);
});

export function go(hash: string): void {
  if (location.hash === hash) route.current = parseHash(hash);
  else location.hash = hash;
}
