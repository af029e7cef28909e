/**
 * The console's stable URLs (DESIGN §13), one page each: the URL tree is the page tree.
 * Links marked `data-link` change the page without a reload; back and forward work.
 */
export type Route =
  | { page: 'executions'; query: URLSearchParams }
  | { page: 'execution'; id: string }
  | { page: 'dead-letters'; query: URLSearchParams }
  | { page: 'dead-letter'; id: string }
  | { page: 'queues' }
  | { page: 'not-found'; path: string };

export const BASE = '/console';

export function parseRoute(location: { pathname: string; search: string }): Route {
  const path = location.pathname.replace(/\/+$/, '');
  const query = new URLSearchParams(location.search);
  if (path === BASE || path === `${BASE}/executions`) return { page: 'executions', query };
  if (path === `${BASE}/dead-letters`) return { page: 'dead-letters', query };
  if (path === `${BASE}/queues`) return { page: 'queues' };
  const execution = new RegExp(`^${BASE}/executions/([^/]+)$`).exec(path);
  if (execution) return { page: 'execution', id: decodeURIComponent(execution[1]) };
  const letter = new RegExp(`^${BASE}/dead-letters/([^/]+)$`).exec(path);
  if (letter) return { page: 'dead-letter', id: decodeURIComponent(letter[1]) };
  return { page: 'not-found', path: location.pathname };
}

export const executionUrl = (id: string): string => `${BASE}/executions/${encodeURIComponent(id)}`;
export const deadLetterUrl = (id: string): string => `${BASE}/dead-letters/${encodeURIComponent(id)}`;

/** A URL with these query parameters (empty ones left out). */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Starts the router: `render` runs now and on every navigation. */
export function startRouter(render: () => void): { navigate(url: string, replace?: boolean): void } {
  const navigate = (url: string, replace = false): void => {
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    render();
  };
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a[data-link]');
    if (!(anchor instanceof HTMLAnchorElement) || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || anchor.target) return;
    event.preventDefault();
    navigate(anchor.getAttribute('href')!);
  });
  window.addEventListener('popstate', render);
  return { navigate };
}
