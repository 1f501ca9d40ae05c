import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/alunni`): they work the same from the loopback host and from the desktop
 * window's app:// page, with no server-side routes to keep in step.
 */
export function currentPath(): string {
  const h = window.location.hash.replace(/^#/, '').replace(/\?.*$/, '');
  return h.startsWith('/') ? h : '/';
}

/**
 * A filter handed to a screen in its address (`#/iscrizioni?stato=bozza`: the dashboard's worklist
 * opens a list already filtered); null when absent. Read once, as the screen's initial filter.
 */
export function routeQuery(name: string): string | null {
  const h = window.location.hash;
  const q = h.indexOf('?');
  return q === -1 ? null : new URLSearchParams(h.slice(q + 1)).get(name);
}

export function navigate(path: string) {
  if (currentPath() !== path) window.location.hash = path;
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return path;
}
