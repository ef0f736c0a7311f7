import { useEffect, useState } from './html.js';

/**
 * Hash routes (`#/apps/shop/deliveries?status=failed`): the console is one file at
 * /console/, and no key or secret ever goes into a route.
 */
export interface Route {
  parts: string[];
  query: URLSearchParams;
}

export function currentRoute(): Route {
  const [path = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

export function href(parts: string[], query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => !!e[1])).toString();
  return `#/${parts.map(encodeURIComponent).join('/')}${q ? `?${q}` : ''}`;
}

export function navigate(parts: string[], query?: Record<string, string | undefined>, replace = false): void {
  const next = href(parts, query);
  if (replace) history.replaceState(null, '', next);
  else location.hash = next;
  if (replace) dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
