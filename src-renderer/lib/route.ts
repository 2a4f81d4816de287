/**
 * Hash routes (#/runs, #/run/<id>, #/job/<id>, #/compare?ids=a,b, #/new?clone=<id>, #/settings):
 * the page's query string keeps the launch token, and a reload lands on the same page.
 */
export interface Route {
  page: 'new' | 'runs' | 'run' | 'compare' | 'settings' | 'job';
  id: string | null;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  const page = parts[0];
  if ((page === 'run' || page === 'job') && parts[1]) return { page, id: parts[1], params };
  if (page === 'new' || page === 'compare' || page === 'settings' || page === 'runs') return { page, id: null, params };
  return { page: 'runs', id: null, params };
}
