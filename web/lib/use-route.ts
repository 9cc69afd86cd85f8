import { useEffect, useState } from 'preact/hooks';
import { isBinId, isRequestId } from '../../shared/ids.js';

/**
 * Client-side routes on the History API (the server answers unknown paths with index.html):
 *   /                              start page
 *   /bins/<binId>                  a bin
 *   /bins/<binId>/requests/<rid>   a bin with one request open
 */
export type Route = { page: 'home' } | { page: 'bin'; binId: string; requestId: string | null } | { page: 'not-found'; path: string };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  const match = /^\/bins\/([^/]+)(?:\/requests\/([^/]+))?\/?$/.exec(pathname);
  if (match && isBinId(match[1]) && (match[2] === undefined || isRequestId(match[2]))) {
    return { page: 'bin', binId: match[1], requestId: match[2] ?? null };
  }
  return { page: 'not-found', path: pathname };
}

export function binHref(binId: string, requestId?: string | null): string {
  return requestId ? `/bins/${binId}/requests/${requestId}` : `/bins/${binId}`;
}

const ROUTE_CHANGE = 'hookscope:navigate';

/** Goes to an in-app path without reloading; `replace` keeps the history length (for j/k-like moves). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  dispatchEvent(new Event(ROUTE_CHANGE));
}

/** True when a click on a link should be left to the browser (new tab, download, …). */
export function isModifiedClick(event: MouseEvent): boolean {
  return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', update);
    addEventListener(ROUTE_CHANGE, update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener(ROUTE_CHANGE, update);
    };
  }, []);
  return route;
}
